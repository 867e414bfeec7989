import { type FormEvent, useEffect, useRef, useState } from "react";
import { type ApiError, createProfile, getVocabulary, listPresets } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { CheckboxGroup, RadioGroup, SelectField, TextField } from "../components/fields.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { navigate } from "../lib/router.js";
import { asApiError, useResource } from "../lib/useResource.js";
import {
  type DeviceContext,
  IMPACT_LEVELS,
  type ImpactLevel,
  type Preset,
  type Vocabulary,
} from "../types.js";

const STEPS = ["Device", "Impact (FIPS 199)", "Environment", "Data, lifetime, markets", "Review"] as const;

interface Draft {
  title: string;
  name: string;
  confidentiality?: ImpactLevel;
  integrity?: ImpactLevel;
  availability?: ImpactLevel;
  environment?: string;
  connectivity?: string;
  data: string[];
  lifetimeYears: string;
  markets: string[];
  /** Device features; sent only when at least one is chosen or a market needs them. */
  features: string[];
}

const EMPTY: Draft = { title: "", name: "", data: [], lifetimeYears: "", markets: [], features: [] };
/** Markets decided by the device's features: the context must state them (the core refuses otherwise). */
const NEEDS_FEATURES = new Set(["eu-red"]);
const IMPACT_OPTIONS = IMPACT_LEVELS.map((l) => ({ value: l, label: l }));

function fromPreset(p: Preset): Draft {
  const c = p.context;
  return {
    title: p.title,
    name: c.name ?? "",
    confidentiality: c.impact.confidentiality,
    integrity: c.impact.integrity,
    availability: c.impact.availability,
    environment: c.environment,
    connectivity: c.connectivity,
    data: [...c.data],
    lifetimeYears: String(c.lifetimeYears),
    markets: [...c.markets],
    features: [...(c.features ?? [])],
  };
}

function highWaterMark(d: Draft): ImpactLevel | undefined {
  const levels = [d.confidentiality, d.integrity, d.availability];
  if (levels.some((l) => l === undefined)) return undefined;
  return levels.reduce<ImpactLevel>(
    (a, b) => (IMPACT_LEVELS.indexOf(b as ImpactLevel) > IMPACT_LEVELS.indexOf(a) ? (b as ImpactLevel) : a),
    "low",
  );
}

/** What is missing before a step can be left: nothing is defaulted, as in the rules (fail closed). */
function missing(step: number, d: Draft, v: Vocabulary): string[] {
  const out: string[] = [];
  if (step === 0 && !d.title.trim()) out.push("Give the profile a title.");
  if (step === 1) {
    if (!d.confidentiality) out.push("Choose the confidentiality impact.");
    if (!d.integrity) out.push("Choose the integrity impact.");
    if (!d.availability) out.push("Choose the availability impact.");
  }
  if (step === 2) {
    if (!d.environment) out.push("Choose the environment.");
    if (!d.connectivity) out.push("Choose the connectivity.");
  }
  if (step === 3) {
    if (d.data.length === 0) out.push("Choose the data the device processes.");
    const y = Number(d.lifetimeYears);
    const { min, max } = v.lifetimeYears;
    if (!Number.isInteger(y) || y < min || y > max)
      out.push(`Give the expected lifetime: ${min} to ${max} years.`);
    if (d.markets.length === 0) out.push("Choose at least one target market.");
    if (d.markets.some((m) => NEEDS_FEATURES.has(m)) && !d.features.includes("radio"))
      out.push(
        "EU radio equipment applies only to radio equipment: tick the device's features, radio included.",
      );
  }
  return out;
}

/** SP 800-213 profiling, step by step: the device's context in, the stored profile out. */
export function ProfileWizard() {
  const vocabulary = useResource(getVocabulary, []);
  const presets = useResource(listPresets, []);
  return (
    <>
      <PageHeading title="Build a profile">Build a profile</PageHeading>
      <p className="muted">
        Describe the device and where it is used. The profiling rules select the capabilities it must have (SP
        800-213), and say why for each.
      </p>
      <ErrorNotice error={presets.error} />
      {vocabulary.error ? (
        <>
          <ErrorNotice error={vocabulary.error} title="The server did not give the profiling vocabulary" />
          {presets.data ? <PresetOnly presets={presets.data.presets} /> : null}
        </>
      ) : vocabulary.data && presets.data ? (
        <Wizard vocabulary={vocabulary.data.vocabulary} presets={presets.data.presets} />
      ) : (
        <Loading />
      )}
    </>
  );
}

/** Without the vocabulary the context cannot be asked for; a preset's context can still be used. */
function PresetOnly({ presets }: { presets: Preset[] }) {
  const [preset, setPreset] = useState(presets[0]?.id ?? "");
  const [error, setError] = useState<ApiError>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await createProfile({ preset });
      navigate(`/profiles/${r.profile.id}`);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-label="Profile from an example">
      <SelectField
        label="Example context"
        value={preset}
        onChange={(e) => setPreset(e.currentTarget.value)}
        options={presets.map((p) => ({ value: p.id, label: p.title }))}
      />
      <ErrorNotice error={error} />
      <button type="submit">Create the profile from this example</button>
    </form>
  );
}

function Wizard({ vocabulary: v, presets }: { vocabulary: Vocabulary; presets: Preset[] }) {
  const [step, setStep] = useState(0);
  const [d, setD] = useState<Draft>(EMPTY);
  const [shown, setShown] = useState<string[]>([]);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => {
    setShown([]);
    setD((x) => ({ ...x, ...patch }));
  };
  const terms = (list: { id: string; label: string }[]) => list.map((t) => ({ value: t.id, label: t.label }));
  const label = (list: { id: string; label: string }[], id: string | undefined) =>
    list.find((t) => t.id === id)?.label ?? id ?? "";
  const hwm = highWaterMark(d);
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  // Each new step takes the focus on its heading, so a keyboard user starts at its top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const next = (e: FormEvent) => {
    e.preventDefault();
    const m = missing(step, d, v);
    setShown(m);
    if (m.length > 0) return;
    if (step < STEPS.length - 1) {
      setStep(step + 1);
      return;
    }
    void create();
  };

  const create = async () => {
    setBusy(true);
    setError(undefined);
    const context: DeviceContext = {
      ...(d.name.trim() ? { name: d.name.trim() } : {}),
      impact: {
        confidentiality: d.confidentiality as ImpactLevel,
        integrity: d.integrity as ImpactLevel,
        availability: d.availability as ImpactLevel,
      },
      environment: d.environment as string,
      connectivity: d.connectivity as string,
      data: d.data,
      lifetimeYears: Number(d.lifetimeYears),
      markets: d.markets,
      ...(d.features.length > 0 || d.markets.some((m) => NEEDS_FEATURES.has(m))
        ? { features: d.features }
        : {}),
    };
    try {
      const r = await createProfile({ title: d.title.trim(), context });
      navigate(`/profiles/${r.profile.id}`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s}
            aria-current={i === step ? "step" : undefined}
            className={i < step ? "done" : undefined}
          >
            {s}
          </li>
        ))}
      </ol>
      <form onSubmit={next} className="card wizard" aria-labelledby="step-heading">
        <h2 id="step-heading" ref={heading} tabIndex={-1}>
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h2>
        {step === 0 ? (
          <>
            <SelectField
              label="Start from an example (optional)"
              value=""
              onChange={(e) => {
                const p = presets.find((x) => x.id === e.currentTarget.value);
                if (p) setD(fromPreset(p));
              }}
              options={[
                { value: "", label: "— none —" },
                ...presets.map((p) => ({ value: p.id, label: p.title })),
              ]}
              hint="Fills every step with the example's context; you can change any of it."
            />
            <TextField
              label="Profile title"
              required
              value={d.title}
              onChange={(e) => set({ title: e.currentTarget.value })}
            />
            <TextField
              label="Device or use case (optional)"
              value={d.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              hint="Carried into reports, e.g. “Ward infusion pump”."
            />
          </>
        ) : null}
        {step === 1 ? (
          <>
            <p className="hint">
              The potential impact on the organisation if the device's information or function were
              compromised (FIPS 199). The highest of the three picks the SP 800-53B baseline.
            </p>
            <div className="grid-3">
              <RadioGroup
                legend="Confidentiality"
                name="confidentiality"
                options={IMPACT_OPTIONS}
                value={d.confidentiality}
                onChange={(x) => set({ confidentiality: x as ImpactLevel })}
              />
              <RadioGroup
                legend="Integrity"
                name="integrity"
                options={IMPACT_OPTIONS}
                value={d.integrity}
                onChange={(x) => set({ integrity: x as ImpactLevel })}
              />
              <RadioGroup
                legend="Availability"
                name="availability"
                options={IMPACT_OPTIONS}
                value={d.availability}
                onChange={(x) => set({ availability: x as ImpactLevel })}
              />
            </div>
            <p role="status">
              {hwm ? `High-water mark: ${hwm} → SP 800-53B ${hwm.toUpperCase()} baseline.` : ""}
            </p>
          </>
        ) : null}
        {step === 2 ? (
          <div className="grid-2">
            <RadioGroup
              legend="Environment"
              name="environment"
              options={terms(v.environment)}
              value={d.environment}
              onChange={(x) => set({ environment: x })}
            />
            <RadioGroup
              legend="Connectivity"
              name="connectivity"
              options={terms(v.connectivity)}
              value={d.connectivity}
              onChange={(x) => set({ connectivity: x })}
            />
          </div>
        ) : null}
        {step === 3 ? (
          <>
            <div className="grid-2">
              <CheckboxGroup
                legend="Data processed"
                options={terms(v.data)}
                values={d.data}
                onChange={(x) => set({ data: x })}
              />
              <CheckboxGroup
                legend="Target markets"
                options={terms(v.markets)}
                values={d.markets}
                onChange={(x) => set({ markets: x })}
              />
            </div>
            {v.features && v.features.length > 0 ? (
              <CheckboxGroup
                legend="Device features (decide which EU radio equipment requirements apply)"
                options={terms(v.features)}
                values={d.features}
                onChange={(x) => set({ features: x })}
              />
            ) : null}
            <TextField
              label="Expected lifetime (years)"
              type="number"
              inputMode="numeric"
              min={v.lifetimeYears.min}
              max={v.lifetimeYears.max}
              value={d.lifetimeYears}
              onChange={(e) => set({ lifetimeYears: e.currentTarget.value })}
              hint={`From ${v.lifetimeYears.min} to ${v.lifetimeYears.max}. Sets the minimum support period asked for.`}
            />
          </>
        ) : null}
        {step === 4 ? (
          <dl className="props review">
            <div>
              <dt>Title</dt>
              <dd>{d.title}</dd>
            </div>
            {d.name ? (
              <div>
                <dt>Device</dt>
                <dd>{d.name}</dd>
              </div>
            ) : null}
            <div>
              <dt>Impact (C / I / A)</dt>
              <dd>
                {d.confidentiality} / {d.integrity} / {d.availability} (high-water mark {hwm})
              </dd>
            </div>
            <div>
              <dt>Environment</dt>
              <dd>{label(v.environment, d.environment)}</dd>
            </div>
            <div>
              <dt>Connectivity</dt>
              <dd>{label(v.connectivity, d.connectivity)}</dd>
            </div>
            <div>
              <dt>Data</dt>
              <dd>{d.data.map((x) => label(v.data, x)).join("; ")}</dd>
            </div>
            <div>
              <dt>Lifetime</dt>
              <dd>{d.lifetimeYears} years</dd>
            </div>
            <div>
              <dt>Markets</dt>
              <dd>{d.markets.map((x) => label(v.markets, x)).join("; ")}</dd>
            </div>
            {d.features.length > 0 ? (
              <div>
                <dt>Device features</dt>
                <dd>{d.features.map((x) => label(v.features ?? [], x)).join("; ")}</dd>
              </div>
            ) : null}
          </dl>
        ) : null}
        {shown.length > 0 ? (
          <div className="notice notice-error" role="alert">
            <ul>
              {shown.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <ErrorNotice error={error} title="The profile was not made" />
        <div className="actions">
          {step > 0 ? (
            <button type="button" className="secondary" onClick={() => setStep(step - 1)}>
              Back
            </button>
          ) : null}
          <button type="submit" disabled={busy}>
            {step < STEPS.length - 1 ? "Next" : busy ? "Creating…" : "Create profile"}
          </button>
        </div>
      </form>
    </>
  );
}
