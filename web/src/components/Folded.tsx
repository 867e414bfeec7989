import { type ReactNode, useEffect, useState } from "react";

/**
 * A folded part whose content is drawn only once opened: long lists and forms out of sight cost
 * nothing when the page loads. `open` opens it from outside (an address that names it).
 */
export function Folded({
  summary,
  children,
  open: openFromOutside = false,
  className,
}: {
  summary: ReactNode;
  children: ReactNode;
  open?: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(openFromOutside);
  useEffect(() => {
    if (openFromOutside) setOpen(true);
  }, [openFromOutside]);
  return (
    <details className={className} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {open ? children : null}
    </details>
  );
}
