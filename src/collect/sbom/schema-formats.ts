import { createRequire } from "node:module";
import { fullFormats } from "ajv-formats/dist/formats.js";

// The string formats the CycloneDX and SPDX schemas use, as @cyclonedx/cyclonedx-library's own
// validator defines them: ajv-formats (full mode), idn-email from ajv-formats-draft2019, and
// iri-reference accepted as is. The generated validators (scripts/generate-sbom-validators.mjs) call these.
const idnEmail = createRequire(import.meta.url)("ajv-formats-draft2019/formats/idn-email.js") as (
  s: string,
) => boolean;

export const formats = {
  date: fullFormats.date,
  "date-time": fullFormats["date-time"],
  uri: fullFormats.uri,
  "idn-email": idnEmail,
  "iri-reference": true,
};
