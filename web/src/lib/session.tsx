import { createContext, useContext } from "react";
import type { Me } from "../types.js";

export interface Session {
  me: Me;
  /** Reloads the caller (after their own name or organisation changed). */
  refresh: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a signed-in page");
  return s;
}
