// Great-circle distance by the haversine formula, evaluated with AssemblyScript's own
// Math library (sin, cos, asin, sqrt).

// Mean Earth radius R1 of GRS 80 / WGS-84, in metres.
const R: f64 = 6371008.8;
// Degrees to radians: the double nearest to pi / 180.
const K: f64 = 0.017453292519943295;

// Canonical ABI allocator (this function takes no list or string, but the ABI requires it).
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

// True when x is a number within lo ..= hi; false for NaN, infinities and out-of-range values.
function inRange(x: f64, lo: f64, hi: f64): bool {
  return isFinite<f64>(x) && x >= lo && x <= hi;
}

export function haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64): f64 {
  if (!inRange(lat1, -90, 90) || !inRange(lat2, -90, 90) ||
      !inRange(lon1, -360, 360) || !inRange(lon2, -360, 360)) {
    return NaN;
  }
  const phi1 = lat1 * K;
  const phi2 = lat2 * K;
  const dPhi = (lat2 - lat1) * K;
  const dLambda = (lon2 - lon1) * K;
  const sPhi = Math.sin(dPhi / 2);
  const sLambda = Math.sin(dLambda / 2);
  let a = sPhi * sPhi + Math.cos(phi1) * Math.cos(phi2) * (sLambda * sLambda);
  // Clamp rounding excursions outside [0, 1] before the square root and arcsine.
  a = Math.min(1.0, Math.max(0.0, a));
  return 2 * R * Math.asin(Math.sqrt(a));
}
