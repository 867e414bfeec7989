/** A polite progress line; screen readers hear it once. */
export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="muted" role="status" data-loading="">
      {what}…
    </p>
  );
}
