import { PageHeading } from "../components/PageHeading.js";
import { Link } from "../lib/router.js";

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Not found">Page not found</PageHeading>
      <p>
        Nothing lives at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </>
  );
}
