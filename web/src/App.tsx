import { useCallback, useEffect, useState } from "react";
import { type ApiError, me as fetchMe, onUnauthenticated } from "./api.js";
import { Layout } from "./components/Layout.js";
import { Loading } from "./components/Loading.js";
import { navigate, useLocation } from "./lib/router.js";
import { SessionContext } from "./lib/session.js";
import { asApiError } from "./lib/useResource.js";
import { LoginPage } from "./pages/LoginPage.js";
import { ResetPasswordPage } from "./pages/ResetPasswordPage.js";
import { Routes } from "./Routes.js";
import type { Me } from "./types.js";

/** Who is signed in decides what shows: the login, or the workbench. */
export function App() {
  const [me, setMe] = useState<Me | null>();
  const [error, setError] = useState<ApiError>();
  const { path } = useLocation();

  const refresh = useCallback(() => {
    fetchMe().then(
      (m) => setMe(m),
      (err: unknown) => {
        const e = asApiError(err);
        if (e.status === 401) setMe(null);
        else setError(e);
      },
    );
  }, []);

  useEffect(refresh, [refresh]);
  useEffect(() => onUnauthenticated(() => setMe(null)), []);

  if (error) {
    return (
      <main id="main" className="narrow">
        <h1>Cairn</h1>
        <p role="alert">The server could not be asked who you are: {error.message}</p>
      </main>
    );
  }
  if (me === undefined) {
    return (
      <main id="main" className="narrow">
        <Loading />
      </main>
    );
  }
  if (path === "/reset-password") return <ResetPasswordPage />;
  if (me === null) {
    return (
      <LoginPage
        onLoggedIn={() => {
          if (path === "/login") navigate("/", { replace: true });
          refresh();
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={{ me, refresh }}>
      <Layout onLoggedOut={() => setMe(null)}>
        <Routes />
      </Layout>
    </SessionContext.Provider>
  );
}
