// 随手拍: one scrollable form — type, photos, location (GPS, grid QR code, map, or where the photo was
// taken), address, description — then the draft-first submission (lib/useSubmitDraft). What the
// resident types survives a trip to the sign-in screen (sessionStorage), a weak network (drafts) and a
// refusal (the form keeps everything and shows the server's messages at the fields).
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent, ComponentType } from 'react';
import { Button, DotLoading, Input, Mask, Toast } from 'antd-mobile';
import type { TextAreaRef } from 'antd-mobile';
import { api, ApiError } from '../lib/api';
import type { SubmitBody } from '../lib/drafts';
import { compress, ImageError, isImageFile, readGps } from '../lib/image';
import { useI18n } from '../lib/i18n';
import { navigate, queryParam } from '../lib/router';
import type { Category, GridRef } from '../lib/types';
import {
  CategoryCard,
  DescriptionCard,
  DraftFormScreen,
  keepForm,
  MIN_DESCRIPTION,
  readKeptForm,
  useDraftForm,
} from '../components/DraftForm';
import {
  categoryName,
  ChoiceGroup,
  descendants,
  FieldError,
  FieldTitle,
  findCategory,
  useCategories,
} from '../components/FormParts';
import { QrScanner } from '../components/QrScanner';
import { useSimilarOffer } from '../components/SimilarCases';
import type { QrResult } from '../components/QrScanner';
import type { LatLng, MapPickerProps } from '../components/MapPicker';

const FORM_KEY = 'jd.report.form';
const PHOTOS_KEY = 'jd.report.photos';
const MAX_PHOTOS = 9;

// Leaflet loads only when the map opens; without a network (and no cached copy) say so instead of
// breaking the form, and try the download again next time
const loadMap = (): Promise<{ default: ComponentType<MapPickerProps> }> =>
  import('../components/MapPicker').catch(() => ({ default: MapUnavailable }));
let LazyMap = lazy(loadMap);

function MapUnavailable({ onCancel }: MapPickerProps) {
  const { t } = useI18n();
  useEffect(() => {
    LazyMap = lazy(loadMap);
    Toast.show({ content: t('map.offline'), duration: 3000 });
    onCancel();
  }, []);
  return null;
}

type Source = 'gps' | 'map' | 'photo';
interface Place extends LatLng {
  source: Source;
  accuracy?: number | undefined;
}
type GridStatus = 'none' | 'checking' | 'found' | 'outside' | 'unknown' | 'invalid';

interface PhotoItem {
  key: string;
  blob: Blob;
  name: string;
  url: string;
  gps: LatLng | null;
}

interface SavedForm {
  v: 1;
  category: string | null;
  place: Place | null;
  gridToken: string | null;
  grid: GridRef | null;
  gridStatus: GridStatus;
  address: string;
  description: string;
  /** the grid QR token of the link this form was opened with, once applied (a later choice wins) */
  preset: string | null;
}

interface SavedPhoto {
  data: string;
  name: string;
  gps: LatLng | null;
}

function readSaved(): SavedForm | null {
  const s = readKeptForm<SavedForm>(FORM_KEY);
  return s && { ...s, gridStatus: s.gridStatus === 'checking' ? 'unknown' : s.gridStatus };
}

function clearSaved(): void {
  sessionStorage.removeItem(FORM_KEY);
  sessionStorage.removeItem(PHOTOS_KEY);
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
let photoSeq = 0;

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

function dataUrlToBlob(data: string): Blob {
  const [head, b64 = ''] = data.split(',', 2);
  const type = /data:([^;]+)/.exec(head ?? '')?.[1] ?? 'image/jpeg';
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

function photoItem(blob: Blob, name: string, gps: LatLng | null): PhotoItem {
  return { key: `p${++photoSeq}`, blob, name, url: URL.createObjectURL(blob), gps };
}

/** A button that picks photos (`camera`: takes them), named by `label`, a hidden file input inside. */
function PhotoInput({
  label,
  camera,
  onChange,
}: {
  label: string;
  camera?: boolean;
  onChange(e: ChangeEvent<HTMLInputElement>): void;
}) {
  return (
    <label className="file-button">
      <input
        type="file"
        accept="image/*"
        capture={camera ? 'environment' : undefined}
        multiple
        className="visually-hidden"
        aria-describedby="report-photos-hint"
        onChange={onChange}
      />
      {label}
    </label>
  );
}

/** The snap types residents choose from: the 随手拍 subtree, then other snap-channel groups (e.g. roads). */
function snapTypes(tree: Category[]): Category[] {
  const snap = tree.find((c) => c.code === 'snap');
  return [...(snap?.children ?? []), ...tree.filter((c) => c.code !== 'snap' && c.channel === 'snap')];
}

export default function Report() {
  const { t, locale } = useI18n();
  const cats = useCategories();
  const [saved] = useState(readSaved);
  const [restoredNote] = useState(() => !!saved && !!(saved.description || saved.category || saved.place));

  const [category, setCategory] = useState<string | null>(saved?.category ?? queryParam('category'));
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const [processing, setProcessing] = useState(0);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [place, setPlace] = useState<Place | null>(saved?.place ?? null);
  const [gridToken, setGridToken] = useState<string | null>(saved?.gridToken ?? null);
  const [grid, setGrid] = useState<GridRef | null>(saved?.grid ?? null);
  const [gridStatus, setGridStatus] = useState<GridStatus>(saved?.gridStatus ?? 'none');
  const [address, setAddress] = useState(saved?.address ?? '');
  const [description, setDescription] = useState(saved?.description ?? '');
  const [preset, setPreset] = useState<string | null>(saved?.preset ?? null);
  const [locating, setLocating] = useState(false);
  const [gpsError, setGpsError] = useState<string | null>(null);
  const [qrOpen, setQrOpen] = useState(false);
  const [mapOpen, setMapOpen] = useState(false);
  const form = useDraftForm('snap', t('report.title'));
  const { markEdited } = form;
  // a problem someone already reported nearby: follow it instead (the form is done with)
  const similar = useSimilarOffer((c) => {
    photosRef.current.forEach((p) => URL.revokeObjectURL(p.url));
    clearSaved();
    navigate(`/cases/${encodeURIComponent(c.id)}`);
  });

  const photosRef = useRef(photos);
  photosRef.current = photos;
  const seq = useRef(0);
  const typeRef = useRef<HTMLInputElement>(null);
  const locRef = useRef<HTMLButtonElement>(null);
  const descRef = useRef<TextAreaRef>(null);

  // free the photo previews when leaving
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  // ---- location ------------------------------------------------------------------------------
  const locateAt = async (p: LatLng, source: Source, accuracy?: number) => {
    const n = ++seq.current;
    setPlace({ lat: p.lat, lng: p.lng, source, accuracy });
    setGridToken(null);
    setGrid(null);
    setGridStatus('checking');
    form.clearError('location');
    markEdited('location');
    try {
      const r = await api<{ grid: GridRef }>('GET', `/api/grids/locate?lat=${p.lat}&lng=${p.lng}`);
      if (n !== seq.current) return;
      setGrid(r.grid);
      setGridStatus('found');
    } catch (e) {
      if (n !== seq.current) return;
      setGridStatus(e instanceof ApiError && !e.transient && e.status < 500 ? 'outside' : 'unknown');
    }
  };

  /** A grid QR token: checked here when `known` is not given (null: could not be checked offline). */
  const applyToken = async (token: string, known?: GridRef | null) => {
    const n = ++seq.current;
    setGridToken(token);
    form.clearError('location');
    markEdited('location');
    if (known !== undefined) {
      setGrid(known);
      setGridStatus(known ? 'found' : 'unknown');
      return;
    }
    setGrid(null);
    setGridStatus('checking');
    try {
      const r = await api<{ grid: GridRef }>('GET', `/api/grids/by-token/${encodeURIComponent(token)}`);
      if (n !== seq.current) return;
      setGrid(r.grid);
      setGridStatus('found');
    } catch (e) {
      if (n !== seq.current) return;
      if (e instanceof ApiError && e.transient) setGridStatus('unknown');
      else {
        setGridToken(null);
        setGridStatus('invalid');
      }
    }
  };

  const locateMe = () => {
    setGpsError(null);
    if (!('geolocation' in navigator)) {
      setGpsError(t('report.gpsUnsupported'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        void locateAt(
          { lat: round6(pos.coords.latitude), lng: round6(pos.coords.longitude) },
          'gps',
          pos.coords.accuracy,
        );
      },
      (err) => {
        setLocating(false);
        setGpsError(
          err.code === err.PERMISSION_DENIED
            ? t('report.gpsDenied')
            : err.code === err.TIMEOUT
              ? t('report.gpsTimeout')
              : t('report.gpsUnavailable'),
        );
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 30_000 },
    );
  };

  const onQr = (r: QrResult) => {
    setQrOpen(false);
    setGpsError(null);
    void applyToken(r.token, r.grid);
    if (r.grid) Toast.show({ content: t('qr.found', { grid: r.grid.name }) });
  };

  // ---- presets and restoring -------------------------------------------------------------------
  useEffect(() => {
    // a grid QR link (/g/<token> → /report?grid=<token>) sets the grid, unless this form already
    // applied it and the resident chose something else since (e.g. back from signing in)
    const fromLink = queryParam('grid');
    if (fromLink && fromLink !== saved?.preset) {
      setPreset(fromLink);
      void applyToken(fromLink);
    } else if (saved?.gridToken && saved.gridStatus === 'unknown') void applyToken(saved.gridToken);
    if (restoredNote) Toast.show({ content: t('form.restored') });

    // photos saved for the trip to the sign-in screen
    const raw = sessionStorage.getItem(PHOTOS_KEY);
    if (raw) {
      sessionStorage.removeItem(PHOTOS_KEY);
      try {
        const list = JSON.parse(raw) as SavedPhoto[];
        setPhotos(list.slice(0, MAX_PHOTOS).map((p) => photoItem(dataUrlToBlob(p.data), p.name, p.gps)));
      } catch {
        // a damaged copy: the resident adds the photos again
      }
    }

    // a failed draft opened for correction from the drafts screen
    form.loadDraft((d) => {
      setCategory(d.body.categoryId);
      setDescription(d.body.description);
      setAddress(d.body.address ?? '');
      if (d.body.location) void locateAt(d.body.location, 'map');
      if (d.body.gridToken) void applyToken(d.body.gridToken);
      setPhotos(d.photos.map((p) => photoItem(p.blob, p.name, null)));
    });
  }, []);

  // keep what was typed for this browser tab (photos only when going to sign in: they are big)
  const { finished } = form;
  useEffect(() => {
    if (finished) sessionStorage.removeItem(PHOTOS_KEY);
    const empty = !category && !place && !gridToken && !address && !description;
    const s: SavedForm = { v: 1, category, place, gridToken, grid, gridStatus, address, description, preset };
    keepForm(FORM_KEY, finished || empty ? null : s);
  }, [finished, category, place, gridToken, grid, gridStatus, address, description, preset]);

  const savePhotosForSignIn = async () => {
    try {
      const list: SavedPhoto[] = [];
      for (const p of photosRef.current)
        list.push({ data: await blobToDataUrl(p.blob), name: p.name, gps: p.gps });
      if (list.length) sessionStorage.setItem(PHOTOS_KEY, JSON.stringify(list));
    } catch {
      // too big for sessionStorage: the text is kept, the photos are added again
      sessionStorage.removeItem(PHOTOS_KEY);
    }
  };

  // ---- categories ------------------------------------------------------------------------------
  const tree = cats.data;
  const types = useMemo(() => (tree ? snapTypes(tree) : []), [tree]);
  const picked = tree && category ? findCategory(tree, category) : null;
  const top = picked
    ? (types.find((c) => c.code === picked.code || descendants(c).some((d) => d.code === picked.code)) ??
      null)
    : null;
  useEffect(() => {
    // a preset or restored type that is not (or no longer) offered
    if (tree && category && !top) setCategory(null);
  }, [tree, category, top]);

  // ---- photos ----------------------------------------------------------------------------------
  const addFiles = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (!files.length) return;
    setPhotoError(null);
    markEdited('photoIds');
    const room = Math.max(0, MAX_PHOTOS - photosRef.current.length - processing);
    const take = files.slice(0, room);
    if (files.length > take.length)
      Toast.show({ content: t('report.photosMax', { n: files.length - take.length }) });
    setProcessing((n) => n + take.length);
    for (const f of take) {
      try {
        const isJpeg = f.type === 'image/jpeg' || /\.jpe?g$/i.test(f.name);
        const [blob, gps] = await Promise.all([
          compress(f),
          isJpeg && isImageFile(f) ? readGps(f) : Promise.resolve(null),
        ]);
        const name = blob === f ? f.name : `photo-${Date.now()}-${photoSeq + 1}.jpg`;
        setPhotos((list) => (list.length >= MAX_PHOTOS ? list : [...list, photoItem(blob, name, gps)]));
      } catch (err) {
        setPhotoError(err instanceof ImageError ? err.message : t('photo.unreadable', { name: f.name }));
      } finally {
        setProcessing((n) => n - 1);
      }
    }
  };

  const removePhoto = (key: string) => {
    setPhotos((list) => {
      const gone = list.find((p) => p.key === key);
      if (gone) URL.revokeObjectURL(gone.url);
      return list.filter((p) => p.key !== key);
    });
  };

  const photoGps = photos.find((p) => p.gps)?.gps ?? null;

  // ---- errors (the category's and the description's: in their cards) ---------------------------
  const locationError = form.fieldError(
    'location',
    ['case.location_required', 'grid.not_found'],
    'gridToken',
  );
  const addressError = form.serverMsg('address');
  const photosError =
    photoError ??
    form.serverMsg('photoIds', [
      'upload.not_an_image',
      'upload.unsupported_type',
      'upload.too_large',
      'upload.too_many_pixels',
      'upload.corrupt',
      'upload.too_many',
      'upload.not_found',
      'upload.in_use',
    ]);

  // ---- submit ----------------------------------------------------------------------------------
  const submit = () => {
    const next: { categoryId?: string; location?: string; description?: string } = {};
    if (!category) next.categoryId = t('report.typeRequired');
    if (!place && !gridToken) next.location = t('report.noLocation');
    if (description.trim().length < MIN_DESCRIPTION) next.description = t('report.descriptionShort');
    const focus = {
      categoryId: typeRef.current,
      location: locRef.current,
      description: descRef.current?.nativeElement,
    };
    if (!form.check(next, focus)) return;
    if (processing > 0) {
      Toast.show({ content: t('report.photosWait') });
      return;
    }
    if (similar.checking) return;
    const chosen = tree && category ? findCategory(tree, category) : null;
    const body: SubmitBody = {
      channel: 'snap',
      categoryId: category!,
      description: description.trim(),
      ...(place ? { location: { lat: place.lat, lng: place.lng } } : {}),
      ...(gridToken ? { gridToken } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
    };
    const send = () =>
      form.send({
        body,
        photos: photos.map((p) => ({ blob: p.blob, name: p.name })),
        label: chosen ? categoryName(chosen, locale) : t('report.title'),
      });
    // first: is it already reported nearby? (offered to follow instead; no answer sends it as usual)
    void similar.ask(
      {
        categoryId: body.categoryId,
        text: body.description,
        ...(body.location ? { location: body.location } : {}),
        ...(body.gridToken ? { gridToken: body.gridToken } : {}),
      },
      send,
    );
  };

  const another = () => {
    photosRef.current.forEach((p) => URL.revokeObjectURL(p.url));
    clearSaved();
    seq.current++;
    setCategory(null);
    setPhotos([]);
    setPhotoError(null);
    setPlace(null);
    setGridToken(null);
    setGrid(null);
    setGridStatus('none');
    setAddress('');
    setDescription('');
    form.reset();
    // a report from a grid's QR code: the next one is probably at the same place
    const fromLink = queryParam('grid');
    const url = fromLink ? `/report?grid=${encodeURIComponent(fromLink)}` : '/report';
    if (window.location.pathname + window.location.search !== url) navigate(url, { replace: true });
    setPreset(fromLink);
    if (fromLink) void applyToken(fromLink);
    window.scrollTo(0, 0);
  };

  // ---- the screen ------------------------------------------------------------------------------
  const sourceLabel = place ? t(`report.source.${place.source}`) : '';
  const full = photos.length + processing >= MAX_PHOTOS;
  const gridLine = (() => {
    switch (gridStatus) {
      case 'checking':
        return <p>{t('report.gridChecking')}</p>;
      case 'found':
        return grid ? (
          <p className="loc-grid">
            {t('report.gridLine', { grid: grid.name, community: grid.community.name })}
          </p>
        ) : null;
      case 'outside':
        return <p>{t('report.outside')}</p>;
      case 'unknown':
        return <p>{gridToken ? t('report.qrLater') : t('report.gridLater')}</p>;
      case 'invalid':
        return <p>{t('grid.invalid')}</p>;
      default:
        return null;
    }
  })();
  const warn = gridStatus === 'outside' || gridStatus === 'invalid';

  return (
    <DraftFormScreen
      form={form}
      id="report"
      title={t('report.title')}
      beforeSignIn={savePhotosForSignIn}
      onSubmit={submit}
      onAnother={another}
      anotherLabel={t('report.another')}
      after={
        <>
          {similar.element}
          <QrScanner visible={qrOpen} onClose={() => setQrOpen(false)} onFound={onQr} />
          {mapOpen && (
            <Suspense
              fallback={
                <Mask visible>
                  <div className="center-pad map-loading" role="status">
                    <DotLoading color="white" /> {t('map.loading')}
                  </div>
                </Mask>
              }
            >
              <LazyMap
                visible
                initial={place ? { lat: place.lat, lng: place.lng } : null}
                gridCode={grid?.code ?? null}
                onCancel={() => setMapOpen(false)}
                onConfirm={(p) => {
                  setMapOpen(false);
                  setGpsError(null);
                  void locateAt(p, 'map');
                }}
              />
            </Suspense>
          )}
        </>
      }
    >
      <CategoryCard
        form={form}
        id="report-type"
        title={t('report.type')}
        categories={cats}
        firstRef={typeRef}
        options={types.map((c) => ({ value: c.code, label: categoryName(c, locale) }))}
        value={top?.code ?? null}
        onChange={setCategory}
      >
        {top && top.children.length > 0 && (
          <div className="subchoice">
            <h3 id="report-subtype-title">{t('report.subtype')}</h3>
            <ChoiceGroup
              name="report-subtype"
              labelledBy="report-subtype-title"
              options={[
                { value: top.code, label: t('report.subtypeAny') },
                ...descendants(top).map((c) => ({ value: c.code, label: categoryName(c, locale) })),
              ]}
              value={picked?.code ?? top.code}
              onChange={(code) => {
                setCategory(code);
                markEdited('categoryId');
              }}
            />
          </div>
        )}
      </CategoryCard>

      <section className="card">
        <FieldTitle id="report-photos-title">{t('report.photos')}</FieldTitle>
        <p className="field-hint" id="report-photos-hint">
          {t('report.photosHint')}
        </p>
        {(photos.length > 0 || processing > 0) && (
          <div className="photo-grid">
            {photos.map((p, i) => (
              <figure className="photo-thumb" key={p.key}>
                <img src={p.url} alt={t('report.photoN', { n: i + 1 })} />
                {p.gps && <span className="photo-gps">{t('report.photoHasGps')}</span>}
                <button
                  type="button"
                  className="photo-remove"
                  aria-label={t('report.removePhoto', { n: i + 1 })}
                  onClick={() => removePhoto(p.key)}
                >
                  ×
                </button>
              </figure>
            ))}
            {Array.from({ length: processing }, (_, i) => (
              <div className="photo-busy" key={`busy${i}`} aria-hidden="true">
                <DotLoading />
              </div>
            ))}
          </div>
        )}
        {processing > 0 && (
          <p className="muted" role="status">
            {t('report.photosProcessing')}
          </p>
        )}
        <p className="muted" aria-live="polite">
          {photos.length > 0 ? t('report.photosCount', { n: photos.length }) : ''}
        </p>
        {!full && (
          <div className="photo-adds">
            <PhotoInput label={t('report.takePhoto')} camera onChange={addFiles} />
            <PhotoInput label={t('report.pickPhotos')} onChange={addFiles} />
          </div>
        )}
        <FieldError id="report-photos-error" message={photosError} />
      </section>

      <section className={locationError ? 'card card-invalid' : 'card'}>
        <FieldTitle id="report-location-title" required>
          {t('report.location')}
        </FieldTitle>
        <div className={warn ? 'loc-box loc-warn' : 'loc-box'} role="status" aria-live="polite">
          {!place && !gridToken && gridStatus !== 'invalid' && (
            <p className="muted">{t('report.noLocationYet')}</p>
          )}
          {place && (
            <p>
              {t('report.locationSet', { source: sourceLabel })}
              {place.accuracy ? ` · ${t('report.gpsAccuracy', { m: Math.round(place.accuracy) })}` : ''}
            </p>
          )}
          {gridToken && <p>{t('report.qrSet')}</p>}
          {gridLine}
        </div>
        <div className="loc-actions">
          <Button
            ref={(b) => {
              locRef.current = b?.nativeElement ?? null;
            }}
            color="primary"
            fill="outline"
            block
            loading={locating}
            loadingText={t('report.locating')}
            onClick={locateMe}
            aria-describedby={locationError ? 'report-location-error' : undefined}
          >
            {t('report.useGps')}
          </Button>
          <Button block onClick={() => setQrOpen(true)}>
            {t('report.scanQr')}
          </Button>
          <Button block onClick={() => setMapOpen(true)}>
            {t('report.adjust')}
          </Button>
        </div>
        {photoGps && !place && !gridToken && (
          <div className="loc-exif">
            <Button block color="primary" fill="none" onClick={() => void locateAt(photoGps, 'photo')}>
              {t('report.photoFromExif')}
            </Button>
          </div>
        )}
        {gpsError && (
          <p className="field-error" role="alert">
            {gpsError}
          </p>
        )}
        <FieldError id="report-location-error" message={locationError} />

        <div className="addr">
          <label className="field-title" htmlFor="report-address">
            {t('report.address')}
          </label>
          <Input
            id="report-address"
            value={address}
            maxLength={200}
            placeholder={t('report.addressPlaceholder')}
            enterKeyHint="next"
            autoComplete="street-address"
            onChange={(v) => {
              setAddress(v);
              markEdited('address');
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                descRef.current?.focus();
              }
            }}
          />
          <FieldError id="report-address-error" message={addressError} />
        </div>
      </section>

      <DescriptionCard
        form={form}
        id="report-description"
        label={t('report.description')}
        hint={t('report.descriptionHint')}
        placeholder={t('report.descriptionPlaceholder')}
        value={description}
        onChange={setDescription}
        autoSize={{ minRows: 4, maxRows: 12 }}
        textRef={descRef}
      />
    </DraftFormScreen>
  );
}
