import { useTranslation } from 'react-i18next';

/** A translated enum value with a colour class; the text carries the meaning, the colour only repeats it. */
export function StateBadge({ kind, value }: { kind: 'jobState' | 'decision' | 'listState'; value: string }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${value}`}>{t(`${kind}.${value}`)}</span>;
}
