import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverviewSite } from '../api/types';
import { EChart } from '../charts/echart';
import type { EChartsOption } from '../charts/echarts-setup';
import { utilization } from '../components/utilization';
import { useFormat } from '../i18n/format';
import { GBA_CITY_NAMES } from './gba-geojson';

/** The sites on the shipped GBA outline: placed by latitude/longitude, sized by GPUs, coloured by utilization. */
export function GbaMap({ sites }: { sites: readonly OverviewSite[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo<EChartsOption>(() => {
    const maxGpus = Math.max(1, ...sites.map((s) => s.gpusTotal));
    return {
      aria: { enabled: false },
      tooltip: {
        trigger: 'item',
        formatter: (p: { data?: { name: string; value: number[] } }) => {
          if (!p.data) return '';
          const [, , total = 0, util = 0] = p.data.value;
          return `${p.data.name}<br/>${t('overview.mapTooltip', { gpus: f.number(total), util: f.percent(util) })}`;
        },
      },
      geo: {
        map: 'gba',
        roam: false,
        aspectScale: 0.92,
        nameMap: Object.fromEntries(GBA_CITY_NAMES.map((n) => [n, t(`city.${n}`)])),
        label: { show: true, color: '#3a4350', fontSize: 11 },
        itemStyle: { areaColor: '#e7eef4', borderColor: '#7d8fa3', borderWidth: 1 },
        emphasis: { disabled: true },
        select: { disabled: true },
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max: 1,
        dimension: 3,
        seriesIndex: 0,
        text: [t('overview.utilHigh'), t('overview.utilLow')],
        inRange: { color: ['#1a9850', '#fdae61', '#d73027'] },
        calculable: false,
        left: 8,
        bottom: 8,
        formatter: (v: number) => f.percent(v),
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          data: sites.map((s) => ({
            name: s.name,
            value: [s.longitude, s.latitude, s.gpusTotal, utilization(s.gpusBusy, s.gpusTotal)],
          })),
          symbolSize: (v: number[]) => 12 + 36 * Math.sqrt((v[2] ?? 0) / maxGpus),
          itemStyle: { borderColor: '#1b1f24', borderWidth: 1, opacity: 0.9 },
          label: { show: true, formatter: '{b}', position: 'right', color: '#1b1f24', fontWeight: 'bold' },
        },
      ],
    };
  }, [sites, t, f]);
  return <EChart option={option} label={t('overview.mapLabel', { n: sites.length })} height={460} />;
}
