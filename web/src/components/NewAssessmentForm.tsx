import { type FormEvent, useState } from "react";
import { type ApiError, createAssessment, createProduct, listProducts, listProfiles } from "../api.js";
import { can } from "../lib/permissions.js";
import { navigate } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { asApiError, useResource } from "../lib/useResource.js";
import { ASSESSMENT_KINDS, type AssessmentKind } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { SelectField, TextField } from "./fields.js";

const NEW = "__new__";
const today = () => new Date().toISOString().slice(0, 10);

/** Start an assessment: a product (existing or new), its release, a stored profile. */
export function NewAssessmentForm({ profile }: { profile?: string | undefined }) {
  const { me } = useSession();
  const products = useResource(listProducts, []);
  const profiles = useResource(listProfiles, []);
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState<AssessmentKind>("self-attestation");
  const [productId, setProductId] = useState("");
  const [manufacturer, setManufacturer] = useState("");
  const [model, setModel] = useState("");
  const [category, setCategory] = useState("");
  const [profileId, setProfileId] = useState(profile ?? "");
  const [version, setVersion] = useState("");
  const [date, setDate] = useState(today());
  const [supportEnd, setSupportEnd] = useState("");
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const productList = products.data?.products ?? [];
  const chosenProduct = productId || (productList.length === 0 ? NEW : "");
  const profileList = profiles.data?.profiles ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      let pid = chosenProduct;
      if (pid === NEW) pid = (await createProduct({ manufacturer, model, category })).id;
      const a = await createAssessment({
        title: title.trim(),
        kind,
        productId: pid,
        profileId: profileId || (profileList[0]?.id ?? ""),
        release: { version: version.trim(), date, ...(supportEnd ? { supportEnd } : {}) },
      });
      navigate(`/assessments/${a.id}`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-assessment" className="card">
      <h2 id="new-assessment">Start an assessment</h2>
      <ErrorNotice error={products.error ?? profiles.error} />
      {profiles.data && profileList.length === 0 ? (
        <p>Build a profile first: an assessment checks a release against a profile.</p>
      ) : (
        <form onSubmit={submit} aria-labelledby="new-assessment">
          <TextField label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as AssessmentKind)}
            options={ASSESSMENT_KINDS}
          />
          <SelectField
            label="Profile"
            value={profileId || (profileList[0]?.id ?? "")}
            onChange={(e) => setProfileId(e.currentTarget.value)}
            options={profileList.map((p) => ({ value: p.id, label: `${p.title} (${p.itemCount} items)` }))}
          />
          <SelectField
            label="Product"
            value={chosenProduct}
            onChange={(e) => setProductId(e.currentTarget.value)}
            options={[
              ...(productList.length > 0 ? [{ value: "", label: "— choose —" }] : []),
              ...productList.map((p) => ({ value: p.id, label: `${p.manufacturer} ${p.model}` })),
              ...(can(me, "product.write") ? [{ value: NEW, label: "A new product…" }] : []),
            ]}
          />
          {chosenProduct === NEW ? (
            <fieldset>
              <legend>New product</legend>
              <div className="grid-3">
                <TextField
                  label="Manufacturer"
                  required
                  value={manufacturer}
                  onChange={(e) => setManufacturer(e.currentTarget.value)}
                />
                <TextField
                  label="Model"
                  required
                  value={model}
                  onChange={(e) => setModel(e.currentTarget.value)}
                />
                <TextField
                  label="Category"
                  required
                  value={category}
                  onChange={(e) => setCategory(e.currentTarget.value)}
                  hint="e.g. thermostat, camera"
                />
              </div>
            </fieldset>
          ) : null}
          <fieldset>
            <legend>Release under assessment</legend>
            <div className="grid-3">
              <TextField
                label="Firmware version"
                required
                value={version}
                onChange={(e) => setVersion(e.currentTarget.value)}
              />
              <TextField
                label="Release date"
                type="date"
                required
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
              />
              <TextField
                label="Security support ends"
                type="date"
                value={supportEnd}
                onChange={(e) => setSupportEnd(e.currentTarget.value)}
              />
            </div>
          </fieldset>
          <ErrorNotice error={error} title="The assessment was not started" />
          <div className="actions">
            <button type="submit" disabled={busy || !chosenProduct}>
              Start the assessment
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
