import type { ReactNode } from "react";
import { logout } from "../api.js";
import { can } from "../lib/permissions.js";
import { Link, useLocation } from "../lib/router.js";
import { useSession } from "../lib/session.js";

const SECTIONS: { to: string; label: string; admin?: boolean }[] = [
  { to: "/catalogs", label: "Catalogs" },
  { to: "/family", label: "Document family" },
  { to: "/matrix", label: "Crosswalk matrix" },
  { to: "/profiles", label: "Profiles" },
  { to: "/assessments", label: "Assessments" },
  { to: "/admin", label: "Administration", admin: true },
  { to: "/account", label: "Account" },
];

/** The frame of every signed-in page: skip link, banner with navigation, main region, footer. */
export function Layout({ children, onLoggedOut }: { children: ReactNode; onLoggedOut: () => void }) {
  const { me } = useSession();
  const { path } = useLocation();
  const signOut = async () => {
    try {
      await logout();
    } finally {
      onLoggedOut();
    }
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="banner">
        <Link to="/" className="brand">
          Cairn
        </Link>
        <nav aria-label="Main">
          <ul>
            {SECTIONS.filter((s) => !s.admin || can(me, "users.manage") || me.user.siteAdmin).map((s) => (
              <li key={s.to}>
                <Link
                  to={s.to}
                  aria-current={path === s.to || path.startsWith(`${s.to}/`) ? "page" : undefined}
                >
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {me.user.name}{" "}
            <span className="muted">
              ({me.user.role}, {me.organisation.name})
            </span>
          </span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="muted">Cairn: IoT device cybersecurity conformity workbench</footer>
    </>
  );
}
