import type { ReactNode } from 'react';
/** One labelled figure in a description list (the parent renders <dl className="stats">). */
export function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
