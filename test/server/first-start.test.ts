import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

// `npm start` (cairn serve --demo) on a busy port binds first: it says the port is in use and how
// to choose another, and creates no demo admin (whose password is shown only once).

const dir = mkdtempSync(join(tmpdir(), "cairn-first-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function busyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const a = server.address();
      resolve({ server, port: typeof a === "object" && a ? a.port : 0 });
    });
  });
}

describe("first start", () => {
  it("on a busy port: says so with what to do, exit 1, and creates nothing", async () => {
    const { server, port } = await busyPort();
    try {
      const data = join(dir, "busy");
      const r = spawnSync(
        process.execPath,
        ["bin/cairn.js", "serve", "--demo", "--port", String(port), "--data", data],
        { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(r.stderr).toContain(`try --port ${port + 1}, or --port 0 for any free port`);
      expect(r.stderr).not.toContain("password");
      expect(existsSync(join(data, "cairn.db"))).toBe(false);
    } finally {
      server.close();
    }
  }, 90_000);

  it("--reset-demo deletes the demo and seeds it afresh; refuses without --demo", async () => {
    const data = join(dir, "reset");
    const start = (...extra: string[]) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            "bin/cairn.js",
            "serve",
            "--demo",
            "--port",
            "0",
            "--data",
            data,
            "--log-level",
            "fatal",
            ...extra,
          ],
          { cwd: ROOT },
        );
        let err = "";
        const timer = setTimeout(() => {
          child.kill("SIGTERM");
          reject(new Error(`no start within 60 s: ${err}`));
        }, 60_000);
        child.stderr.on("data", (c: Buffer) => {
          err += c.toString();
          if (/is listening on/.test(err) && (/password/.test(err) || /nothing imported/.test(err))) {
            clearTimeout(timer);
            child.kill("SIGTERM");
          }
        });
        child.on("exit", () => resolve(err));
      });
    expect(await start()).toContain("log in as admin@northwind-controls.example");
    const second = await start();
    expect(second).toContain("users exist already, nothing imported");
    expect(second).toContain("lost it? npm run demo:reset");
    const again = await start("--reset-demo");
    expect(again).toContain("demo reset:");
    expect(again).toContain("log in as admin@northwind-controls.example");
    const usage = spawnSync(process.execPath, ["bin/cairn.js", "serve", "--reset-demo", "--data", data], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(usage.status).toBe(2);
  }, 240_000);
});
