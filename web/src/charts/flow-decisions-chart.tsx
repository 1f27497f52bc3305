import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecisionOutcome, FlowCounts } from '../api/types';
import { EChart } from './echart';
import type { EChartsOption } from './echarts-setup';

export const OUTCOMES: readonly DecisionOutcome[] = ['allow', 'allow-with-conditions', 'requires-approval', 'deny'];
export const OUTCOME_COLOURS: Readonly<Record<DecisionOutcome, string>> = {
  allow: '#1a7f37',
  'allow-with-conditions': '#2f6fb3',
  'requires-approval': '#b35900',
  deny: '#b42318',
};

/** Flow decisions by outcome as horizontal bars. */
export function FlowDecisionsChart({ counts, label }: { counts: FlowCounts; label: string }) {
  const { t } = useTranslation();
  const option = useMemo<EChartsOption>(
    () => ({
      aria: { enabled: false },
      grid: { left: 8, right: 24, top: 8, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: OUTCOMES.map((o) => t(`decision.${o}`)), inverse: true },
      series: [
        {
          type: 'bar',
          data: OUTCOMES.map((o) => ({ value: counts[o] ?? 0, itemStyle: { color: OUTCOME_COLOURS[o] } })),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [counts, t],
  );
  return <EChart option={option} label={label} height={200} />;
}
