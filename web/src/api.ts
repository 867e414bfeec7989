// The typed client of the Cairn HTTP API (src/server/). Same origin: the session lives in an
// HttpOnly cookie; unsafe methods echo the CSRF token (cookie `cairn_csrf`, also returned by
// login and /api/auth/me) in the X-CSRF-Token header. Errors come back as ApiError with the
// server's { code, message, problems?, current? }.

import type {
  AcquisitionClauses,
  AssessmentCommand,
  AssessmentDto,
  AssessmentKind,
  AssessmentStatus,
  AssessmentSummaryDto,
  CatalogDetail,
  CatalogSummary,
  CoverageReport,
  DeviceContext,
  DocumentFamily,
  EvidenceRecord,
  EvidenceStrength,
  ExplainedItem,
  Figures,
  FindingDto,
  FindingPatch,
  ItemMapping,
  ItemVerdict,
  ItemView,
  JobDto,
  LibraryMeasure,
  LoginResult,
  MarketReadiness,
  Matrix,
  Me,
  OrganisationDto,
  OrgTokenDto,
  Pitfall,
  Plan,
  Preset,
  ProductDto,
  Profile,
  ProfileDiff,
  ProfileSummaryDto,
  Proposal,
  Release,
  Role,
  SearchHit,
  UserDto,
  Vocabulary,
} from "./types.js";

export const CSRF_HEADER = "x-csrf-token";
export const CSRF_COOKIE = "cairn_csrf";

export interface ProblemDto {
  location: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: ProblemDto[] = [],
    readonly current?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The server answered 404 for the route itself: the endpoint does not exist (yet). */
  get missingRoute(): boolean {
    return this.status === 404 && this.message.startsWith("no route ");
  }
}

let csrf: string | undefined;

function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export function csrfToken(): string | undefined {
  return cookie(CSRF_COOKIE) ?? csrf;
}

/** Listeners told when the server says the session is gone (401), so the app shows the login. */
const unauthenticated = new Set<() => void>();
export function onUnauthenticated(f: () => void): () => void {
  unauthenticated.add(f);
  return () => unauthenticated.delete(f);
}

type Query = Record<string, string | number | boolean | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (method !== "GET" && method !== "HEAD") {
    const token = csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload ?? null, credentials: "same-origin" });
  } catch (err) {
    throw new ApiError(0, "network", `the server could not be reached (${(err as Error).message})`);
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string; problems?: ProblemDto[]; current?: unknown };
    const err = new ApiError(
      res.status,
      e.code ?? `http-${res.status}`,
      e.message ?? `${res.status} ${res.statusText}`,
      e.problems ?? [],
      e.current,
    );
    if (res.status === 401 && !path.startsWith("/api/auth/login")) for (const f of unauthenticated) f();
    throw err;
  }
  return data as T;
}

const enc = encodeURIComponent;

/**
 * Answers asked for ahead of the component that shows them, taken once: a page that knows what its
 * sections will load starts those requests with its own instead of after its first render (the
 * assessment page renders 463 findings before its sections mount). Later loads go to the server.
 */
const ahead = new Map<string, Promise<unknown>>();
function prefetched<T>(key: string, load: () => Promise<T>): Promise<T> {
  const p = ahead.get(key);
  if (p) {
    ahead.delete(key);
    return p as Promise<T>;
  }
  return load();
}
function askAhead(key: string, load: () => Promise<unknown>): void {
  if (ahead.has(key)) return;
  const p = load();
  // Not unhandled while nobody has taken it yet; the taker sees the rejection.
  p.catch(() => undefined);
  ahead.set(key, p);
  // Dropped if no section takes it soon (the user went elsewhere).
  setTimeout(() => {
    if (ahead.get(key) === p) ahead.delete(key);
  }, 10_000);
}

// --- auth ---------------------------------------------------------------------------------------

export async function login(email: string, password: string): Promise<LoginResult> {
  const r = await call<LoginResult>("POST", "/api/auth/login", { email, password });
  csrf = r.csrfToken;
  return r;
}

export async function logout(): Promise<void> {
  await call("POST", "/api/auth/logout");
  csrf = undefined;
}

export async function me(): Promise<Me> {
  const r = await call<Me>("GET", "/api/auth/me");
  if (r.csrfToken) csrf = r.csrfToken;
  return r;
}

// --- organisations and users -------------------------------------------------------------------

export const listOrganisations = () =>
  call<{ organisations: OrganisationDto[] }>("GET", "/api/organisations");
export const createOrganisation = (name: string, admin: { email: string; name: string; password: string }) =>
  call<{ organisation: OrganisationDto; admin: UserDto }>("POST", "/api/organisations", { name, admin });
export const renameOrganisation = (id: string, name: string, version: number) =>
  call<OrganisationDto>("PATCH", `/api/organisations/${enc(id)}`, { name, version });

export const listUsers = () => call<{ users: UserDto[] }>("GET", "/api/users");
export const createUser = (u: { email: string; name: string; role: Role; password: string }) =>
  call<UserDto>("POST", "/api/users", u);
export const updateUser = (
  id: string,
  patch: { role?: Role; name?: string; disabled?: boolean },
  version: number,
) => call<UserDto>("PATCH", `/api/users/${enc(id)}`, { ...patch, version });
export const issuePasswordReset = (id: string) =>
  call<{ token: string; expiresAt: string; path: string }>("POST", `/api/users/${enc(id)}/password-reset`);
export const listOrgTokens = () => call<{ tokens: OrgTokenDto[] }>("GET", "/api/tokens");
export const revokeOrgToken = (id: string) =>
  call<{ token: OrgTokenDto }>("DELETE", `/api/tokens/${enc(id)}`);
export const changePassword = (current: string, password: string) =>
  call<{ ok: true }>("POST", "/api/auth/password", { current, password });
export const resetPassword = (token: string, password: string) =>
  call<{ ok: true }>("POST", "/api/auth/password-reset", { token, password });

// --- catalogs, search, family, crosswalks ------------------------------------------------------

export const listCatalogs = () => call<{ catalogs: CatalogSummary[] }>("GET", "/api/catalogs");
export const getCatalog = (catalog: string) => call<CatalogDetail>("GET", `/api/catalogs/${enc(catalog)}`);
export const getItem = (id: string) => call<ItemView>("GET", `/api/items/${enc(id)}`);
export const search = (q: string, catalog?: string, limit = 30) =>
  call<{
    query: string;
    hits: SearchHit[];
    concepts?: { text: string; alsoSearched: string[] }[];
    complete?: number;
    total?: number;
    suggestions?: string[];
  }>("GET", withQuery("/api/search", { q, catalog, limit }));

export const getFamily = () => call<DocumentFamily>("GET", "/api/family");

export interface MatrixQuery {
  anchor: string;
  columns: string[];
  depth?: number;
}
function matrixParams(q: MatrixQuery): Query {
  return { anchor: q.anchor, columns: q.columns.join(","), depth: q.depth };
}
export const getMatrix = (q: MatrixQuery) =>
  call<{ matrix: Matrix; titles?: Record<string, string> }>("GET", withQuery("/api/matrix", matrixParams(q)));
/** Download links: the browser fetches them with the session cookie. */
export const matrixExportUrl = (q: MatrixQuery, format: "csv" | "xlsx") =>
  withQuery("/api/matrix", { ...matrixParams(q), format });

// --- profiles -----------------------------------------------------------------------------------

export const listPresets = () => call<{ presets: Preset[] }>("GET", "/api/profiles/presets");
export const getVocabulary = () => call<{ vocabulary: Vocabulary }>("GET", "/api/profiles/vocabulary");
export const createProfile = (body: { title?: string; context?: DeviceContext; preset?: string }) =>
  call<{ profile: ProfileSummaryDto }>("POST", "/api/profiles", body);
export const listProfiles = () => call<{ profiles: ProfileSummaryDto[] }>("GET", "/api/profiles");
type ProfileAnswer = { record: ProfileSummaryDto; profile: Profile; author?: { id: string; name: string } };
export const getProfile = (id: string) =>
  prefetched(`profile:${id}`, () => call<ProfileAnswer>("GET", `/api/profiles/${enc(id)}`));
export const explainItem = (id: string, item: string) =>
  call<{ items: ExplainedItem[] }>("GET", withQuery(`/api/profiles/${enc(id)}/explain`, { item }));
export const getClauses = (id: string) =>
  call<{ clauses: AcquisitionClauses }>("GET", `/api/profiles/${enc(id)}/clauses`);
export const clausesUrl = (id: string, format: "md" | "html") =>
  withQuery(`/api/profiles/${enc(id)}/clauses`, { format });
export const oscalProfileUrl = (id: string) => `/api/profiles/${enc(id)}/oscal`;
export const diffProfile = (id: string, against: string) =>
  call<{
    from: { id: string; title: string; items: number; baseline: string };
    to: { id: string; title: string; items: number; baseline: string };
    diff: ProfileDiff;
  }>("GET", withQuery(`/api/profiles/${enc(id)}/diff`, { against }));
export const getItemMappings = (id: string) =>
  call<{ item: string; mappings: ItemMapping[] }>("GET", `/api/items/${enc(id)}/mappings`);
export const getGaps = (from: string, to: string[]) =>
  call<{ from: string; reports: (CoverageReport & { title: string })[] }>(
    "GET",
    withQuery("/api/crosswalks/gaps", { from, to: to.join(",") }),
  );
export const tailorProfile = (
  id: string,
  entry: { action: "add" | "remove"; item: string; rationale: string },
  version: number,
) =>
  call<{ record: ProfileSummaryDto; profile: Profile }>("POST", `/api/profiles/${enc(id)}/tailoring`, {
    ...entry,
    version,
  });

// --- products and assessments -------------------------------------------------------------------

export const listProducts = () => call<{ products: ProductDto[] }>("GET", "/api/products");
export const createProduct = (p: { manufacturer: string; model: string; category: string }) =>
  call<ProductDto>("POST", "/api/products", p);

export const listAssessments = () => call<{ assessments: AssessmentSummaryDto[] }>("GET", "/api/assessments");
export const createAssessment = (body: {
  title: string;
  kind: AssessmentKind;
  productId: string;
  profileId: string;
  release: Release;
}) => call<AssessmentDto>("POST", "/api/assessments", body);
export const getAssessment = (id: string) => call<AssessmentDto>("GET", `/api/assessments/${enc(id)}`);
export const updateAssessment = (
  id: string,
  patch: { status?: AssessmentStatus; title?: string },
  version: number,
) => call<AssessmentDto>("PATCH", `/api/assessments/${enc(id)}`, { ...patch, version });

export const getFinding = (id: string, item: string) =>
  call<FindingDto>("GET", `/api/assessments/${enc(id)}/findings/${enc(item)}`);
export const updateFinding = (id: string, item: string, patch: FindingPatch, version: number) =>
  call<FindingDto>("PATCH", `/api/assessments/${enc(id)}/findings/${enc(item)}`, { ...patch, version });

export const listEvidence = (id: string) =>
  call<{ evidence: EvidenceRecord[] }>("GET", `/api/assessments/${enc(id)}/evidence`);
export function uploadEvidence(
  id: string,
  file: File,
  fields: {
    title: string;
    strength: EvidenceStrength;
    tags?: string[];
    effective?: string;
    expires?: string;
  },
): Promise<EvidenceRecord> {
  const form = new FormData();
  // Fields first: the server reads the parts in order.
  form.set("title", fields.title);
  form.set("strength", fields.strength);
  if (fields.tags && fields.tags.length > 0) form.set("tags", fields.tags.join(","));
  if (fields.effective) form.set("effective", fields.effective);
  if (fields.expires) form.set("expires", fields.expires);
  form.set("file", file, file.name);
  return call<EvidenceRecord>("POST", `/api/assessments/${enc(id)}/evidence/files`, form);
}
export const addLinkEvidence = (
  id: string,
  body: { title: string; url: string; strength: EvidenceStrength },
) => call<EvidenceRecord>("POST", `/api/assessments/${enc(id)}/evidence`, { kind: "link", ...body });
export const evidenceFileUrl = (id: string, evidence: string) =>
  `/api/assessments/${enc(id)}/evidence/${enc(evidence)}/file`;

export const getReadiness = (id: string) =>
  prefetched(`readiness:${id}`, () =>
    call<{ readiness: MarketReadiness[] }>("GET", `/api/assessments/${enc(id)}/readiness`),
  );
export const getPitfalls = (id: string) =>
  prefetched(`pitfalls:${id}`, () =>
    call<{ pitfalls: Pitfall[] }>("GET", `/api/assessments/${enc(id)}/pitfalls`),
  );

/**
 * The assessment with its sections' answers asked for at once: readiness and pitfalls with it,
 * the profile as soon as the assessment names it (its sections take them when they mount).
 */
export function getAssessmentPage(id: string): Promise<AssessmentDto> {
  // The document first: the profile's request waits for it, and the rest are answered meanwhile.
  const doc = getAssessment(id).then((a) => {
    askAhead(`profile:${a.profileId}`, () => call<ProfileAnswer>("GET", `/api/profiles/${enc(a.profileId)}`));
    return a;
  });
  askAhead(`verdicts:${id}`, () => call("GET", `/api/assessments/${enc(id)}/verdicts`));
  askAhead(`plan:${id}`, () => call("GET", `/api/assessments/${enc(id)}/plan`));
  askAhead(`readiness:${id}`, () =>
    call<{ readiness: MarketReadiness[] }>("GET", `/api/assessments/${enc(id)}/readiness`),
  );
  return doc;
}
// --- the four steps: derived verdicts, the plan, proposals, changes ------------------------------

export const getVerdicts = (id: string) =>
  prefetched(`verdicts:${id}`, () =>
    call<{ figures: Figures; items: ItemVerdict[] }>("GET", `/api/assessments/${enc(id)}/verdicts`),
  );
export const getPlan = (id: string) =>
  prefetched(`plan:${id}`, () => call<Plan>("GET", `/api/assessments/${enc(id)}/plan`));
export const getProposals = (id: string, kind?: "verdict" | "link") =>
  prefetched(`proposals:${kind ?? ""}:${id}`, () =>
    call<{ proposals: Proposal[] }>("GET", withQuery(`/api/assessments/${enc(id)}/proposals`, { kind })),
  );
export const decideProposals = (id: string, decision: "accept" | "reject", ids: string[], note?: string) =>
  call<{ accepted: number; rejected: number; figures: Figures }>(
    "POST",
    `/api/assessments/${enc(id)}/proposals/${decision}`,
    { ids, ...(note ? { note } : {}) },
  );

/**
 * A command as POST /api/assessments/:id/changes takes it (src/server/routes/changes.ts): the
 * core's commands, with proposals named by id, a library measure by its entry id, and links as
 * item and coverage (the server records who confirmed them and where they came from).
 */
export type ChangeCommand =
  | Exclude<
      AssessmentCommand,
      { type: "add-measure" | "link-measure" | "accept-proposal" | "reject-proposal" }
    >
  | {
      type: "add-measure";
      fromLibrary?: string;
      measure: {
        title?: string;
        description?: string;
        owner?: string;
        kind?: "technical" | "process";
        links?: { item: string; coverage: "full" | "partial" }[];
      };
    }
  | {
      type: "link-measure";
      measure: string;
      links: { item: string; coverage: "full" | "partial" }[];
      expectVersion?: number;
    }
  | { type: "accept-proposal" | "reject-proposal"; id: string; note?: string };

export interface ChangesAnswer {
  revision: number;
  results: unknown[];
  figures?: Figures;
}

/** Commands of the assessment core in one all-or-nothing change (refusals name `body.commands[i]`). */
export const runCommands = (id: string, commands: ChangeCommand[], expectRevision?: number) =>
  call<ChangesAnswer>("POST", `/api/assessments/${enc(id)}/changes`, {
    commands,
    ...(expectRevision !== undefined ? { expectRevision } : {}),
  });

/** The library of common IoT design measures, each with the 8259A/8259B elements it implements. */
export const getMeasureLibrary = () =>
  call<{ version: string; measures: LibraryMeasure[] }>("GET", "/api/measure-library");

export const dossierUrl = (id: string) => `/api/assessments/${enc(id)}/dossier`;

// --- background jobs ----------------------------------------------------------------------------

/** Starts a dossier build off the request path; the answer is the job to follow. */
export const startDossierJob = (id: string, body: { draft?: boolean; final?: string }) =>
  call<JobDto>("POST", `/api/assessments/${enc(id)}/dossier-jobs`, body);
export const getJob = (id: string) => call<JobDto>("GET", `/api/jobs/${enc(id)}`);
export const retryJob = (id: string) => call<JobDto>("POST", `/api/jobs/${enc(id)}/retry`);
export const jobResultUrl = (id: string) => `/api/jobs/${enc(id)}/result`;
