import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { UtilizationSample } from '../api/types';
import { utilization } from '../components/utilization';
import { useFormat } from '../i18n/format';
import { EChart } from './echart';
import type { EChartsOption } from './echarts-setup';

/** Busy share of GPUs over time (5-minute samples). */
export function UtilizationChart({ samples, label }: { samples: readonly UtilizationSample[]; label: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo<EChartsOption>(() => {
    const last = samples[samples.length - 1]?.at ?? Date.now();
    return {
      aria: { enabled: false },
      grid: { left: 8, right: 16, top: 24, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => f.percent(v) },
      xAxis: {
        type: 'time',
        min: last - 24 * 3_600_000,
        max: last,
        axisLabel: { formatter: (v: number) => f.time(v) },
      },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => f.percent(v) } },
      series: [
        {
          name: t('site.utilization'),
          type: 'line',
          showSymbol: samples.length < 30,
          areaStyle: { opacity: 0.15 },
          lineStyle: { color: '#2f6fb3' },
          itemStyle: { color: '#2f6fb3' },
          data: samples.map((s) => [s.at, utilization(s.gpusBusy, s.gpusTotal)]),
        },
      ],
    };
  }, [samples, t, f]);
  return <EChart option={option} label={label} height={260} />;
}
