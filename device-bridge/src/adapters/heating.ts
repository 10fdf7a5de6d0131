/** A print that has started but whose heaters are still well below target is "heating". */
export function heatersBelowTarget(heaters: { temp: number | undefined; target: number | undefined }[], toleranceC = 3): boolean {
  return heaters.some((h) => h.target !== undefined && h.target > 0 && h.temp !== undefined && h.temp < h.target - toleranceC);
}
