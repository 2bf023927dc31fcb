// Where a case is: its grid's polygon and the reported point (no external tiles needed).
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from '@jiedao/web/api';

export default function CaseMap({
  gridCode,
  location,
  label,
}: {
  gridCode: string | null;
  location: { lat: number; lng: number } | null;
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  // primitives, so a refreshed case (a new object with the same place) does not rebuild the map
  const lat = location?.lat ?? null;
  const lng = location?.lng ?? null;
  useEffect(() => {
    if (!el.current) return;
    const location = lat !== null && lng !== null ? { lat, lng } : null;
    // a view from the start: Leaflet's vector renderer needs one before layers come and go
    const map = L.map(el.current, { attributionControl: false, zoomControl: true }).setView(
      location ? [location.lat, location.lng] : [22.67, 113.81],
      15,
    );
    let live = true;
    const point = location
      ? L.circleMarker([location.lat, location.lng], { radius: 7, color: '#c8161d', fillOpacity: 0.9 })
      : null;
    const show = (bounds: L.LatLngBounds | null) => {
      if (!live) return;
      if (point) point.addTo(map);
      if (bounds) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
      else if (location) map.setView([location.lat, location.lng], 16);
    };
    if (gridCode) {
      api<{ grid: { geometry: unknown } }>('GET', `/api/grids/${encodeURIComponent(gridCode)}`)
        .then((r) => {
          if (!live) return;
          const poly = L.geoJSON(r.grid.geometry as never, {
            style: { color: '#0958d9', weight: 2, fillOpacity: 0.08 },
          }).addTo(map);
          const b = poly.getBounds();
          if (location) b.extend([location.lat, location.lng]);
          show(b);
        })
        .catch(() => show(null));
    } else show(null);
    return () => {
      live = false;
      map.remove();
    };
  }, [gridCode, lat, lng]);
  if (!gridCode && !location) return null;
  return <div ref={el} style={{ height: 220, background: '#f0f2f5' }} role="img" aria-label={label} />;
}
