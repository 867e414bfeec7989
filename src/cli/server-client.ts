import type { Readable } from "node:stream";
import { CairnError, type Problem, UsageError } from "../core/problem.js";

/**
 * The CLI's side of the Cairn API: `check --server`, `push`, `pull`. The token comes from an
 * environment variable, never an argument (arguments show in `ps` and in CI logs); redirects are
 * refused (a token is never sent to another host).
 */
export class ServerClient {
  readonly origin: string;
  private readonly base: URL;

  constructor(
    server: string,
    private readonly token: string,
    private readonly timeoutMs = 60_000,
  ) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new CairnError(`--server must be an http(s) URL (got "${server}")`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new CairnError(`--server must be an http(s) URL (got "${server}")`);
    this.base = new URL(url.pathname.endsWith("/") ? url.href : `${url.href}/`);
    this.origin = url.origin;
  }

  static fromEnv(server: string, tokenEnv: string): ServerClient {
    const token = process.env[tokenEnv];
    if (!token) throw new UsageError(`set ${tokenEnv} to an API token (cairn_pat_...) to talk to a server`);
    return new ServerClient(server, token);
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const url = new URL(path, this.base);
    const init: RequestInit & { duplex?: "half" } = {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: "application/json", ...headers },
      redirect: "error",
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    if (body !== undefined) {
      if (typeof (body as Readable).pipe === "function") {
        init.body = body as never;
        init.duplex = "half";
      } else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] = "application/json";
      }
    }
    try {
      return await fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CairnError(
        `cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
  }

  /** The response's JSON; an error status becomes a CairnError carrying the server's problems. */
  async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const r = await this.request(method, path, body, headers);
    if (r.ok) return (await r.json()) as T;
    throw await this.error(r, path);
  }

  /** A streamed response body (a file), or a CairnError. */
  async stream(path: string): Promise<Response> {
    const r = await this.request("GET", path);
    if (r.ok && r.body) return r;
    throw await this.error(r, path);
  }

  async error(r: Response, path: string): Promise<ServerError> {
    let body: { code?: string; message?: string; problems?: Problem[]; current?: unknown } = {};
    try {
      body = (await r.json()) as typeof body;
    } catch {
      // Not JSON: the status says enough.
    }
    if (r.status === 401)
      return new ServerError(
        r.status,
        "unauthenticated",
        "the API token was refused (expired, revoked or wrong)",
        [],
        undefined,
      );
    if (r.status === 404 && body.code === "not-found")
      return new ServerError(
        r.status,
        "not-found",
        `${path}: not found (or not in your organisation)`,
        [],
        undefined,
      );
    return new ServerError(
      r.status,
      body.code ?? `http-${r.status}`,
      `${path}: ${body.message ?? `HTTP ${r.status}`}`,
      body.problems ?? [],
      body.current,
    );
  }
}

/** An error status from the server, with its code, problems and (for a conflict) the current state. */
export class ServerError extends CairnError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    problems: Problem[],
    readonly current: unknown,
  ) {
    super(message, problems);
    this.name = "ServerError";
  }
}
