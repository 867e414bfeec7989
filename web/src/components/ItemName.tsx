/** An item's printed label in bold, then its title, unless the source prints the title as the label. */
export function ItemName({ label, title }: { label: string; title?: string | undefined }) {
  const same = !title || title === label;
  return (
    <>
      <span className="item-label">{label}</span>
      {same ? null : ` ${title}`}
    </>
  );
}
