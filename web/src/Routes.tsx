import { match, useLocation } from "./lib/router.js";
import { AccountPage } from "./pages/AccountPage.js";
import { AdminPage } from "./pages/AdminPage.js";
import { AssessmentPage } from "./pages/AssessmentPage.js";
import { AssessmentsPage } from "./pages/AssessmentsPage.js";
import { CatalogsPage } from "./pages/CatalogsPage.js";
import { FamilyPage } from "./pages/FamilyPage.js";
import { HomePage } from "./pages/HomePage.js";
import { MatrixPage } from "./pages/MatrixPage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";
import { ProfilePage } from "./pages/ProfilePage.js";
import { ProfilesPage } from "./pages/ProfilesPage.js";
import { ProfileWizard } from "./pages/ProfileWizard.js";

/** Path to page. */
export function Routes() {
  const { path } = useLocation();
  if (path === "/" || path === "/login") return <HomePage />;
  if (path === "/catalogs") return <CatalogsPage />;
  let m = match("/catalogs/:catalog", path);
  if (m) return <CatalogsPage catalog={m.catalog} />;
  if (path === "/family") return <FamilyPage />;
  if (path === "/matrix") return <MatrixPage />;
  if (path === "/profiles") return <ProfilesPage />;
  if (path === "/profiles/new") return <ProfileWizard />;
  m = match("/profiles/:id", path);
  if (m?.id) return <ProfilePage id={m.id} />;
  if (path === "/assessments") return <AssessmentsPage />;
  m = match("/assessments/:id/findings/:item", path);
  if (m?.id && m.item) return <AssessmentPage id={m.id} item={m.item} />;
  m = match("/assessments/:id", path);
  if (m?.id) return <AssessmentPage id={m.id} />;
  if (path === "/admin") return <AdminPage />;
  if (path === "/account") return <AccountPage />;
  return <NotFoundPage />;
}
