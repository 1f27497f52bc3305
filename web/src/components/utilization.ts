/** busy / total, 0 when a site has no GPUs. */
export function utilization(busy: number, total: number): number {
  return total > 0 ? busy / total : 0;
}
