import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

// A small history router: the URL is the state of the screen, so links can be shared and the
// back button works. The server answers index.html for every non-API path (SPA fallback).

const EVENT = "cairn:navigate";

function subscribe(f: () => void): () => void {
  window.addEventListener("popstate", f);
  window.addEventListener(EVENT, f);
  return () => {
    window.removeEventListener("popstate", f);
    window.removeEventListener(EVENT, f);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const i = href.indexOf("?");
  return {
    path: i < 0 ? href : href.slice(0, i),
    query: new URLSearchParams(i < 0 ? "" : href.slice(i + 1)),
  };
}

/** Brings the element a `#fragment` names into view once the page has drawn it. */
function reveal(hash: string, tries = 20): void {
  const el = document.getElementById(decodeURIComponent(hash));
  if (el) {
    el.scrollIntoView({ block: "start" });
    return;
  }
  if (tries > 0) setTimeout(() => reveal(hash, tries - 1), 50);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const h = to.indexOf("#");
  const hash = h < 0 ? "" : to.slice(h + 1);
  const target = h < 0 ? to : to.slice(0, h);
  if (target === snapshot() && !hash) return;
  if (target !== snapshot() || `#${hash}` !== window.location.hash) {
    if (options.replace) window.history.replaceState(null, "", to);
    else window.history.pushState(null, "", to);
    window.dispatchEvent(new Event(EVENT));
  }
  if (hash) reveal(hash);
}

/** Matches `/a/:x/b` against a path; the parameters decoded, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const a = p[i] as string;
    const b = s[i] as string;
    if (a.startsWith(":")) out[a.slice(1)] = decodeURIComponent(b);
    else if (a !== b) return undefined;
  }
  return out;
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
