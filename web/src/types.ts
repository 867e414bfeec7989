// The shapes the API returns. Domain types come from the core (type-only imports; of the core only
// the vocabulary lists below are bundled); the DTOs mirror src/store/repository.ts, which the UI cannot import (it pulls
// in the database driver's types).

import type {
  Assessment,
  AssessmentKind,
  AssessmentStatus,
  EvidenceRecord,
  EvidenceStrength,
  Finding,
  ImplementationSupport,
  Method,
  Product,
  Release,
  Verdict,
} from "../../src/assessment/model.js";
import type { MarketReadiness, Pitfall, ReadinessItem, Step } from "../../src/assessment/report-types.js";
import type { CatalogItem, CatalogMetadata } from "../../src/catalog/model.js";
import type { Result } from "../../src/crosswalk/inference.js";
import type { Matrix, MatrixCell, MatrixRow } from "../../src/crosswalk/matrix.js";
import type { Relationship } from "../../src/crosswalk/model.js";
import type { DocumentFamily, FamilyDocument, FamilyEdge } from "../../src/family/model.js";
import type {
  DeviceContext,
  ImpactLevel,
  Profile,
  ProfileItem,
  TailoringEntry,
} from "../../src/profile/model.js";
import type { OrganisationDto, UserDto } from "../../src/store/dto.js";

export type { AssessmentCommand } from "../../src/assessment/changes.js";
export type {
  DerivationPath,
  DerivedVerdict,
  EffectiveVerdict,
  Figures,
  ItemVerdict,
} from "../../src/assessment/derive.js";
export type { LibraryMeasure } from "../../src/assessment/measure-library.js";
export type {
  Coverage,
  LinkProposal,
  Measure,
  MeasureKind,
  MeasureLink,
  MeasureVerdict,
  Proposal,
  ProposedResult,
  Risk,
  RiskDecision,
  RiskLevel,
  VerdictProposal,
} from "../../src/assessment/model.js";
// The vocabularies are the core's own lists (pure modules, a few bytes in the bundle), so the UI
// can never offer a value the API refuses.
export {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  COVERAGES,
  MEASURE_KINDS,
  MEASURE_VERDICTS,
  METHODS,
  RISK_DECISIONS,
  RISK_LEVELS,
  STRENGTHS,
  SUPPORTS,
  VERDICTS,
} from "../../src/assessment/model.js";
export type { Plan, PlanStep, PlanUnit } from "../../src/assessment/plan.js";
export type { CoverageReport } from "../../src/crosswalk/coverage.js";
export type { ItemMapping } from "../../src/crosswalk/item-mappings.js";
export type { AcquisitionClauses } from "../../src/profile/clauses.js";
export type { ProfileDiff } from "../../src/profile/diff.js";
export type { ExplainedItem } from "../../src/profile/explain.js";
export { IMPACT_LEVELS } from "../../src/profile/model.js";
export {
  type AssessmentDto,
  type AssessmentSummaryDto,
  type FindingDto,
  type OrganisationDto,
  type OrgTokenDto,
  type ProductDto,
  type ProfileSummaryDto,
  ROLES,
  type Role,
  type UserDto,
} from "../../src/store/dto.js";
export type {
  Assessment,
  AssessmentKind,
  AssessmentStatus,
  CatalogItem,
  CatalogMetadata,
  DeviceContext,
  DocumentFamily,
  EvidenceRecord,
  EvidenceStrength,
  FamilyDocument,
  FamilyEdge,
  Finding,
  ImpactLevel,
  ImplementationSupport,
  MarketReadiness,
  Matrix,
  MatrixCell,
  MatrixRow,
  Method,
  Pitfall,
  Product,
  Profile,
  ProfileItem,
  ReadinessItem,
  Relationship,
  Release,
  Result,
  Step,
  TailoringEntry,
  Verdict,
};

export interface Me {
  user: UserDto;
  organisation: OrganisationDto;
  via: "session" | "token";
  csrfToken?: string;
}

export interface LoginResult {
  user: UserDto;
  csrfToken: string;
  expiresAt: string;
}

export interface CatalogSummary {
  id: string;
  key: string;
  version: string;
  title: string;
  shortTitle?: string;
  publisher: string;
  published: string;
  status: string;
  terms: string;
  verification: string;
  items: number;
}

export interface CatalogDetail {
  catalog: CatalogSummary & { meta: CatalogMetadata };
  items: CatalogItem[];
}

export interface ItemBrief {
  id: string;
  label: string;
  title: string;
  kind: string;
}

export interface ItemView {
  item: CatalogItem;
  catalog: { id: string; version: string; key: string };
  ancestors: ItemBrief[];
  children: ItemBrief[];
}

export interface SearchHit extends ItemBrief {
  catalog: string;
  score: number;
  /** Ideas of the query the item matches, and those it misses (a partial match). */
  matched?: string[];
  missing?: string[];
}

export interface Preset {
  id: string;
  title: string;
  description?: string;
  source?: string;
  context: DeviceContext;
}

export interface Term {
  id: string;
  label: string;
}

/** The profiling rules' vocabulary: the only values a device context may take. */
export interface Vocabulary {
  environment: Term[];
  connectivity: Term[];
  data: Term[];
  markets: Term[];
  /** Device features some markets are decided by (EU radio equipment); absent from older servers. */
  features?: Term[];
  lifetimeYears: { min: number; max: number };
}

export interface FindingPatch {
  verdict?: Verdict;
  method?: Method | null;
  statement?: { support: ImplementationSupport; detail?: string } | null;
  notes?: string | null;
  attach?: string[];
  detach?: string[];
  signOff?: boolean;
}

/** A background job as GET /api/jobs/:id returns it (src/server/routes/jobs.ts). */
export interface JobDto {
  id: string;
  kind: string;
  subject: string;
  state: "queued" | "running" | "done" | "failed";
  progress: number;
  message?: string;
  result?: {
    built?: boolean;
    name?: string;
    size?: number;
    draft?: boolean;
    status?: "requested" | "open" | "final-by-override" | "final";
    problems?: { location: string; message: string }[];
  };
  error?: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}
