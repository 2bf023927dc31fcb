// The map for placing a report exactly (loaded only when opened: Leaflet stays out of the home page).
// It draws the subdistrict's grid outlines — no outside map tiles unless the server configures a tile
// URL — with a draggable pin; a tap moves the pin; the grid under the pin shows live.
import { useEffect, useRef, useState } from 'react';
import { Button, Popup } from 'antd-mobile';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useSession } from '../lib/session';
import './forms.css';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface MapPickerProps {
  visible: boolean;
  /** where the pin starts (the current location of the report), if any */
  initial: LatLng | null;
  /** the grid to show highlighted and to start from when there is no point yet */
  gridCode?: string | null;
  onCancel(): void;
  /** the chosen point, rounded to 6 decimals (about 0.1 m) */
  onConfirm(point: LatLng): void;
}

type Ring = [number, number][];
interface GridFeature {
  type: 'Feature';
  properties: { code: string; name: string; name_en?: string | null; community?: string | null };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}
interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

// grid outlines change rarely: one download per app session
let gridsCache: GridCollection | null = null;
let gridsLoading: Promise<GridCollection> | null = null;
function loadGrids(): Promise<GridCollection> {
  if (gridsCache) return Promise.resolve(gridsCache);
  gridsLoading ??= api<GridCollection>('GET', '/api/grids/geojson').then(
    (fc) => (gridsCache = fc),
    (e: unknown) => {
      gridsLoading = null;
      throw e;
    },
  );
  return gridsLoading;
}

function inRing(ring: Ring, lng: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(rings: Ring[], lng: number, lat: number): boolean {
  if (!rings[0] || !inRing(rings[0], lng, lat)) return false;
  return !rings.slice(1).some((hole) => inRing(hole, lng, lat));
}

/** The grid that contains the point, from the outlines in memory. */
export function gridAt(fc: GridCollection, p: LatLng): GridFeature | null {
  for (const f of fc.features) {
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    if (polys.some((rings) => inPolygon(rings, p.lng, p.lat))) return f;
  }
  return null;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

const BASE_STYLE: L.PathOptions = { color: '#8c8c8c', weight: 1, fillColor: '#8c8c8c', fillOpacity: 0.04 };
const HIGHLIGHT_STYLE: L.PathOptions = {
  color: '#c8161d',
  weight: 3,
  fillColor: '#c8161d',
  fillOpacity: 0.1,
};

const pinIcon = () =>
  L.divIcon({ className: 'map-pin', html: '<span></span>', iconSize: [30, 42], iconAnchor: [15, 42] });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export default function MapPicker({ visible, initial, gridCode, onCancel, onConfirm }: MapPickerProps) {
  const { t, locale } = useI18n();
  const { config } = useSession();
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.Marker | null>(null);
  const layersRef = useRef(new Map<string, L.Polygon>());
  const highlightedRef = useRef<string | null>(null);
  const [point, setPoint] = useState<LatLng | null>(initial);
  const [fc, setFc] = useState<GridCollection | null>(gridsCache);
  const [gridsFailed, setGridsFailed] = useState(false);
  const [apiGrid, setApiGrid] = useState<{ code: string; label: string } | null | undefined>(undefined);
  const [needPoint, setNeedPoint] = useState(false);

  // the map itself, created once the popup's body is in the page
  useEffect(() => {
    if (!visible || !box || mapRef.current) return;
    const center = initial ?? config?.map.center ?? { lat: 22.67, lng: 113.81 };
    const map = L.map(box, {
      center: [center.lat, center.lng],
      zoom: initial ? 17 : 15,
      zoomControl: true,
      zoomSnap: 0.5,
      attributionControl: !!config?.map.tileUrl,
      keyboard: true,
    });
    mapRef.current = map;
    if (config?.map.tileUrl) {
      L.tileLayer(config.map.tileUrl, {
        maxZoom: 19,
        attribution: config.map.tileAttribution ?? '',
      }).addTo(map);
    }
    const place = (ll: L.LatLng) => {
      const p = { lat: ll.lat, lng: ll.lng };
      if (!markerRef.current) {
        const m = L.marker(ll, {
          draggable: true,
          icon: pinIcon(),
          title: t('map.marker'),
          alt: t('map.marker'),
        });
        m.on('dragend', () => {
          const at = m.getLatLng();
          setPoint({ lat: at.lat, lng: at.lng });
        });
        m.addTo(map);
        markerRef.current = m;
      } else {
        markerRef.current.setLatLng(ll);
      }
      setPoint(p);
      setNeedPoint(false);
    };
    if (initial) place(L.latLng(initial.lat, initial.lng));
    map.on('click', (e: L.LeafletMouseEvent) => {
      place(e.latlng);
      // a tap on the whole-subdistrict view: come closer so the pin can be placed exactly
      if (map.getZoom() < 16) map.setView(e.latlng, 16);
    });
    (map as L.Map & { jdPlace?: typeof place }).jdPlace = place;
    // the popup animates in: measure again once it has its size
    const timer = setTimeout(() => map.invalidateSize(), 350);
    return () => {
      clearTimeout(timer);
      map.remove();
      mapRef.current = null;
      markerRef.current = null;
      layersRef.current.clear();
      highlightedRef.current = null;
    };
  }, [visible, box]);

  // the grid outlines
  useEffect(() => {
    if (!visible) return;
    let live = true;
    loadGrids().then(
      (g) => live && setFc(g),
      () => live && setGridsFailed(true),
    );
    return () => {
      live = false;
    };
  }, [visible]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fc || !box) return;
    const group = L.featureGroup();
    const labels = L.layerGroup();
    for (const f of fc.features) {
      const layer = L.geoJSON(f as unknown as GeoJSON.Feature, { style: BASE_STYLE, interactive: false });
      layer.eachLayer((l) => {
        if (l instanceof L.Polygon) {
          layersRef.current.set(f.properties.code, l);
          group.addLayer(l);
          const name = locale === 'en' && f.properties.name_en ? f.properties.name_en : f.properties.name;
          L.marker(l.getBounds().getCenter(), {
            icon: L.divIcon({
              className: 'map-grid-label',
              html: `<span>${escapeHtml(name)}</span>`,
              iconSize: undefined,
            }),
            interactive: false,
            keyboard: false,
          }).addTo(labels);
        }
      });
    }
    group.addTo(map);
    const showLabels = () => {
      if (map.getZoom() >= 15) labels.addTo(map);
      else labels.remove();
    };
    showLabels();
    map.on('zoomend', showLabels);
    if (!initial) {
      const start = gridCode ? layersRef.current.get(gridCode) : undefined;
      const bounds = start ? start.getBounds() : group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
    }
    return () => {
      map.off('zoomend', showLabels);
      group.remove();
      labels.remove();
      layersRef.current.clear();
      highlightedRef.current = null;
    };
  }, [fc, locale, box]);

  // the grid under the pin: from the outlines in memory, or the server when they could not load
  const localGrid = fc && point ? gridAt(fc, point) : null;
  const hereCode = fc ? (localGrid?.properties.code ?? null) : (apiGrid?.code ?? null);
  useEffect(() => {
    const prev = highlightedRef.current;
    const next = hereCode ?? (point ? null : (gridCode ?? null));
    if (prev === next) return;
    if (prev) layersRef.current.get(prev)?.setStyle(BASE_STYLE);
    if (next) layersRef.current.get(next)?.setStyle(HIGHLIGHT_STYLE).bringToFront();
    highlightedRef.current = next;
  });

  useEffect(() => {
    if (fc || !point) return;
    let live = true;
    setApiGrid(undefined);
    const timer = setTimeout(() => {
      api<{ grid: { code: string; name: string; community: { name: string } } }>(
        'GET',
        `/api/grids/locate?lat=${point.lat}&lng=${point.lng}`,
      ).then(
        (r) => live && setApiGrid({ code: r.grid.code, label: `${r.grid.name}（${r.grid.community.name}）` }),
        () => live && setApiGrid(null),
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [fc, point?.lat, point?.lng]);

  let gridText: string;
  if (!point) gridText = needPoint ? t('map.noPoint') : t('map.hint');
  else if (fc) {
    gridText = localGrid
      ? t('map.inGrid', {
          grid:
            locale === 'en' && localGrid.properties.name_en
              ? localGrid.properties.name_en
              : localGrid.properties.name,
          community: localGrid.properties.community ?? '',
        })
      : t('map.outside');
  } else if (apiGrid === undefined) gridText = gridsFailed ? t('map.loadFailed') : t('map.loading');
  else gridText = apiGrid ? t('map.inGridPlain', { grid: apiGrid.label }) : t('map.outside');

  const centre = () => {
    const map = mapRef.current as (L.Map & { jdPlace?: (ll: L.LatLng) => void }) | null;
    if (map?.jdPlace) map.jdPlace(map.getCenter());
  };

  const confirm = () => {
    if (!point) {
      setNeedPoint(true);
      return;
    }
    onConfirm({ lat: round6(point.lat), lng: round6(point.lng) });
  };

  return (
    <Popup
      visible={visible}
      onClose={onCancel}
      position="bottom"
      destroyOnClose
      bodyClassName="map-popup"
      bodyStyle={{ height: '100%' }}
      afterShow={() => mapRef.current?.invalidateSize()}
    >
      <div className="map-dialog" role="dialog" aria-modal="true" aria-labelledby="map-title">
        <div className="map-head">
          <h2 id="map-title">{t('map.title')}</h2>
          <p className="muted">{t('map.hint')}</p>
        </div>
        <div className="map-canvas" ref={setBox} role="application" aria-label={t('map.label')} />
        <div className="map-foot">
          <p
            className={point && fc && !localGrid ? 'map-grid map-grid-out' : 'map-grid'}
            role="status"
            aria-live="polite"
          >
            {gridText}
          </p>
          {gridsFailed && point && <p className="muted">{t('map.loadFailed')}</p>}
          <button type="button" className="link-button" onClick={centre}>
            {t('map.centerMarker')}
          </button>
          <div className="map-buttons">
            <Button size="large" onClick={onCancel}>
              {t('app.cancel')}
            </Button>
            <Button size="large" color="primary" onClick={confirm}>
              {t('app.confirm')}
            </Button>
          </div>
        </div>
      </div>
    </Popup>
  );
}
