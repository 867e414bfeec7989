import { type FormEvent, useId, useState } from "react";

/** A search form: a labelled box and a button; submits the trimmed text. */
export function SearchBox({
  label,
  initial = "",
  onSearch,
  placeholder,
}: {
  label: string;
  initial?: string;
  onSearch: (q: string) => void;
  placeholder?: string;
}) {
  const id = useId();
  const [q, setQ] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(q.trim());
  };
  return (
    <search>
      <form onSubmit={submit} className="search-box">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="search"
          value={q}
          placeholder={placeholder}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}
