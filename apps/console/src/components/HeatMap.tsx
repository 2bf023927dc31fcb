// Cases per grid on the map of the subdistrict's grids (no external tiles): darker = more cases.
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from '@jiedao/web/api';

interface Feature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: unknown;
}
let gridsPromise: Promise<{ type: 'FeatureCollection'; features: Feature[] }> | null = null;

const COLORS = ['#fff5f0', '#fdd0bd', '#fc9372', '#f4583a', '#c8161d', '#7f0a0e'];

export function HeatMap({ counts, label }: { counts: Map<string, number>; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.GeoJSON | null>(null);

  useEffect(() => {
    if (!el.current) return;
    map.current = L.map(el.current, { zoomControl: true, attributionControl: false });
    return () => {
      map.current?.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    gridsPromise ??= api('GET', '/api/grids/geojson');
    let live = true;
    void gridsPromise.then((fc) => {
      if (!live || !map.current) return;
      const max = Math.max(1, ...counts.values());
      layer.current?.remove();
      layer.current = L.geoJSON(fc as never, {
        style: (f) => {
          const n = counts.get((f as Feature).properties.code) ?? 0;
          const level =
            n === 0 ? 0 : Math.min(COLORS.length - 1, 1 + Math.floor((n / max) * (COLORS.length - 2)));
          return { color: '#999', weight: 0.5, fillColor: COLORS[level], fillOpacity: 0.85 };
        },
        onEachFeature: (f, l) => {
          const p = (f as Feature).properties;
          l.bindTooltip(
            counts.size ? `${p.name}（${p.code}）：${counts.get(p.code) ?? 0}` : `${p.name}（${p.code}）`,
          );
        },
      }).addTo(map.current);
      map.current.fitBounds(layer.current.getBounds());
    });
    return () => {
      live = false;
    };
  }, [counts]);

  return <div ref={el} style={{ height: 420, background: '#f0f2f5' }} role="img" aria-label={label} />;
}
