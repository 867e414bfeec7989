/**
 * A library of design measures common to IoT devices (the guide's step 2): each a mechanism or a
 * process, linked to the NISTIR 8259A device capabilities and NISTIR 8259B non-technical elements
 * it implements. The other texts of a profile (SP 800-213A, EN 303 645, the CRA) are reached through
 * the crosswalks as link proposals a person confirms (proposals.ts), never linked here directly.
 * Titles and descriptions are our own words; element ids are NIST's as the catalogs publish them.
 */
import type { Profile } from "../profile/model.js";
import type { NewLink, NewMeasure } from "./measure-rules.js";
import type { Coverage, MeasureKind } from "./model.js";

export interface LibraryMeasure {
  id: string;
  title: string;
  description: string;
  kind: MeasureKind;
  links: { item: string; coverage: Coverage }[];
}

export const MEASURE_LIBRARY_VERSION = "1";

const a = (ref: string, coverage: Coverage = "full") => ({ item: `nist-ir-8259a:${ref}`, coverage });
const b = (ref: string, coverage: Coverage = "full") => ({ item: `nist-ir-8259b:${ref}`, coverage });

export const MEASURE_LIBRARY: readonly LibraryMeasure[] = [
  {
    id: "device-identity",
    title: "Per-device X.509 identity provisioned at manufacture",
    description:
      "Each unit gets a unique key pair and certificate in a protected key store at the factory; the certificate identifies the unit on the network.",
    kind: "technical",
    links: [a("1.1")],
  },
  {
    id: "device-label",
    title: "Unique serial number on the device label and in its firmware",
    description: "A unique physical identifier printed on the enclosure and readable from the firmware.",
    kind: "technical",
    links: [a("1.2")],
  },
  {
    id: "authenticated-configuration",
    title: "Configuration through an authenticated, role-based management interface",
    description:
      "Settings change only through the management interface after authentication; roles limit who may change what.",
    kind: "technical",
    links: [a("2.1"), a("2.2"), a("4.2")],
  },
  {
    id: "secure-reset",
    title: "Factory reset to a secure default that erases user data and keys",
    description:
      "An authorised reset restores the secure default configuration and renders stored user data and credentials inaccessible.",
    kind: "technical",
    links: [a("2.3"), a("3.2")],
  },
  {
    id: "validated-crypto",
    title: "Validated cryptographic module for all cryptographic operations",
    description:
      "Standardised algorithms from a module with a current validation (e.g. a FIPS 140-3 certificate).",
    kind: "technical",
    links: [a("3.1")],
  },
  {
    id: "protected-communications",
    title: "Data encrypted at rest and in transit, with configurable settings",
    description:
      "TLS 1.3 or DTLS for every network interface and encrypted storage for user data; the settings are exposed through device configuration.",
    kind: "technical",
    links: [a("3.3"), a("4.3")],
  },
  {
    id: "interface-hardening",
    title: "Unused and debug interfaces disabled in production",
    description: "Only the interfaces the product needs are enabled; debug ports are locked at manufacture.",
    kind: "technical",
    links: [a("4.1")],
  },
  {
    id: "update-mechanism",
    title: "Remote and local software update with rollback (A/B slots)",
    description:
      "Updates install remotely or locally into the inactive slot; authorised users can roll back, enable or disable updating and choose automatic or manual updates and notifications.",
    kind: "technical",
    links: [a("5.1"), a("5.3"), a("5.5"), a("5.6.a"), a("5.6.b")],
  },
  {
    id: "signed-firmware",
    title: "Firmware signed and verified by the boot loader before installation",
    description:
      "Every image is signed by the manufacturer and verified before it is installed and at boot; only authorised entities can start an update.",
    kind: "technical",
    links: [a("5.2"), a("5.4")],
  },
  {
    id: "state-reporting",
    title: "Security state and event reporting to a management service",
    description:
      "The device reports its cybersecurity state and security events; only authorised entities read them and no one can edit them.",
    kind: "technical",
    links: [a("6.1"), a("6.2"), a("6.3"), a("6.4"), a("6.5")],
  },
  {
    id: "design-file",
    title: "Security design file: assumptions, capabilities, design and maintenance",
    description:
      "The design file records expected customers and use, data, interfaces, assumed requirements, laws, lifespan, the device's capabilities, the platform, component protection, known risks and misuses, and maintenance requirements.",
    kind: "process",
    links: [
      ...["1.1.a", "1.1.b", "1.1.c", "1.1.d", "1.1.e", "1.1.f", "1.1.g", "1.1.h", "1.2"].map((r) => b(r)),
      ...["1.3.a", "1.3.b", "1.3.c", "1.4.a", "1.4.b", "1.4.c"].map((r) => b(r)),
    ],
  },
  {
    id: "secure-development",
    title: "Secure development lifecycle with a software bill of materials",
    description:
      "Secure development and supply chain practices, with an SBOM for each release and third-party component tracking.",
    kind: "process",
    links: [b("1.3.d")],
  },
  {
    id: "certifications",
    title: "Published certification and evaluation results",
    description:
      "Certifications, accreditations and evaluation results for the product and the manufacturer's practices are recorded and shared with customers.",
    kind: "process",
    links: [b("1.3.e"), b("3.1.g")],
  },
  {
    id: "vulnerability-disclosure",
    title: "Vulnerability disclosure policy and security.txt",
    description:
      "A published policy and a security.txt contact receive vulnerability reports and customer queries, with response times.",
    kind: "process",
    links: [b("2.1"), b("2.2")],
  },
  {
    id: "security-advisories",
    title: "Security advisories and customer notification (CSAF)",
    description:
      "Vulnerabilities, their fixes and breaches are announced to customers in machine-readable advisories and direct notices.",
    kind: "process",
    links: [b("3.1.e"), b("3.2"), b("3.2.a"), b("3.2.b")],
  },
  {
    id: "support-period",
    title: "Declared support period published on the product page",
    description:
      "The end of security support, the update frequency and the update mechanism are published and kept current.",
    kind: "process",
    links: [b("3.1.b"), b("3.1.c")],
  },
  {
    id: "customer-security-information",
    title: "Security information page for customers",
    description:
      "Design documentation for customers, maintenance operations, the manufacturer's security practices and a summary of its risk assessment.",
    kind: "process",
    links: [b("3.1"), b("3.1.a"), b("3.1.d"), b("3.1.f"), b("3.1.h")],
  },
  {
    id: "security-guide",
    title: "User and administrator security guide",
    description:
      "How to use identifiers, configuration, access control and updates; reprovisioning and disposal; the customer's responsibilities and assumptions; backups; vulnerability management options.",
    kind: "process",
    links: ["4.1", "4.1.a", "4.1.b", "4.1.c", "4.1.d", "4.2", "4.3", "4.4", "4.5", "4.6"].map((r) => b(r)),
  },
];

export function libraryMeasure(id: string): LibraryMeasure | undefined {
  return MEASURE_LIBRARY.find((m) => m.id === id);
}

/**
 * A new measure made from a library entry for a profile: its title, description and kind (unless
 * given), and its links to the elements the profile holds (the others do not apply to it), each
 * with the library as its origin. `extra` links come after, as a person gave them.
 */
export function measureFromLibrary(
  entry: LibraryMeasure,
  profile: Profile,
  given: Omit<NewMeasure, "title" | "library"> & { title?: string } = {},
): NewMeasure {
  const held = new Set(profile.items.map((i) => i.id));
  const links: NewLink[] = [
    ...entry.links
      .filter((l) => held.has(l.item))
      .map((l) => ({ ...l, origin: { kind: "library" as const, entry: entry.id } })),
    ...(given.links ?? []),
  ];
  return {
    title: given.title ?? entry.title,
    description: given.description ?? entry.description,
    kind: given.kind ?? entry.kind,
    library: { id: entry.id, version: MEASURE_LIBRARY_VERSION },
    ...(given.owner !== undefined ? { owner: given.owner } : {}),
    ...(links.length > 0 ? { links } : {}),
    ...(given.evidence && given.evidence.length > 0 ? { evidence: given.evidence } : {}),
  };
}
