import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// `cairn serve --demo` as a user runs it: the built CLI (bin/cairn.js -> dist/, built by the test
// setup or `npm run build`) in its own process, on an empty data folder, then again on the same one.

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  stdout: () => string;
}

function start(data: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ["bin/cairn.js", "serve", "--demo", "--port", "0", "--data", data, "--log-level", "warn"],
    { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += String(d);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in time: ${stderr}`)), 30_000);
    child.stderr.on("data", (d) => {
      stderr += String(d);
      const m = /Cairn is listening on (http:\/\/\S+)/.exec(stderr);
      // The demo's lines follow the address in the same write.
      if (m) {
        clearTimeout(timer);
        setTimeout(
          () => resolve({ child, url: m[1] as string, stderr: () => stderr, stdout: () => stdout }),
          200,
        );
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `cairn serve --demo exited ${code}: ${stderr}${/unknown option/.test(stderr) ? "\n(dist/ is stale: run npm run build)" : ""}`,
        ),
      );
    });
  });
}

async function stop(s: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => s.child.on("exit", (code) => resolve(code)));
  s.child.kill("SIGTERM");
  return exited;
}

describe("cairn serve --demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-demo-"));
  const data = join(dir, "data");
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the demo organisation and admin once, prints the password once, and opens on the worked example", async () => {
    const first = await start(data);
    let password = "";
    let email = "";
    try {
      const err = first.stderr();
      expect(err).toMatch(/^Cairn is listening on http:\/\/127\.0\.0\.1:\d+/m);
      email = /log in as (\S+@\S+) with/.exec(err)?.[1] ?? "";
      password = /\(shown once\):\n\s+(\S+)/.exec(err)?.[1] ?? "";
      expect(email).toBe("admin@northwind-controls.example");
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(err).not.toContain("one-time secret");
      // Never on standard output (the log).
      expect(first.stdout()).not.toContain(password);

      const login = await fetch(`${first.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const get = async (path: string) => {
        const r = await fetch(`${first.url}${path}`, { headers: { cookie } });
        expect(r.status, path).toBe(200);
        return r.json() as Promise<Record<string, unknown>>;
      };
      const me = (await get("/api/auth/me")) as { organisation: { name: string } };
      expect(me.organisation.name).toBe("Northwind Controls (demo)");
      const { assessments } = (await get("/api/assessments")) as { assessments: { id: string }[] };
      expect(assessments).toHaveLength(1);
      const a = (await get(`/api/assessments/${assessments[0]?.id}`)) as {
        findings: unknown[];
        evidence: unknown[];
      };
      expect(a.findings).toHaveLength(495);
      expect(a.evidence).toHaveLength(10);
      // A CI job checks the stored assessment with an API token: the worked example's one open
      // finding fails the gate, as it does from the folder.
      const csrf = /cairn_csrf=([^;]+)/.exec(cookie)?.[1] ?? "";
      const created = await fetch(`${first.url}/api/auth/tokens`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ name: "ci", expiresInDays: 1 }),
      });
      expect(created.status).toBe(201);
      const { secret } = (await created.json()) as { secret: string };
      process.env.CAIRN_TEST_TOKEN = secret;
      try {
        const check = await cli(
          "check",
          assessments[0]?.id as string,
          "--server",
          first.url,
          "--token-env",
          "CAIRN_TEST_TOKEN",
          "--json",
        );
        expect(check.code).toBe(1);
        expect(JSON.parse(check.stdout)).toMatchObject({
          ok: false,
          total: 495,
          passing: 494,
          failing: [{ item: "etsi-en-303-645:5.13-1" }],
        });
        process.env.CAIRN_TEST_TOKEN = "cairn_pat_not-a-token";
        const denied = await cli(
          "check",
          assessments[0]?.id as string,
          "--server",
          first.url,
          "--token-env",
          "CAIRN_TEST_TOKEN",
        );
        expect(denied.code).toBe(1);
        expect(denied.stderr).toContain("HTTP 401");
      } finally {
        delete process.env.CAIRN_TEST_TOKEN;
      }
      // The page itself (or, without a built UI, the note saying how to build it).
      const page = await fetch(`${first.url}/assessments/${assessments[0]?.id}`);
      expect([200, 404]).toContain(page.status);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    } finally {
      expect(await stop(first)).toBe(0);
    }

    // Later starts: nothing imported again, no new password; the URL is still printed.
    const second = await start(data);
    try {
      const err = second.stderr();
      expect(err).toMatch(/Cairn is listening on http:\/\//);
      expect(err).toContain("users exist already, nothing imported");
      expect(err).not.toContain("shown once");
      expect(err).not.toContain(password);
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const list = (await (await fetch(`${second.url}/api/assessments`, { headers: { cookie } })).json()) as {
        assessments: unknown[];
      };
      expect(list.assessments).toHaveLength(1);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 90_000);
});
