// 随手拍: one scrollable form — type, photos, location (GPS, grid QR code, map, or where the photo was
// taken), address, description — then the draft-first submission (lib/useSubmitDraft). What the
// resident types survives a trip to the sign-in screen (sessionStorage), a weak network (drafts) and a
// refusal (the form keeps everything and shows the server's messages at the fields).
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent, ComponentType } from 'react';
import { Button, DotLoading, Input, Mask, TextArea, Toast } from 'antd-mobile';
import type { TextAreaRef } from 'antd-mobile';
import { api, ApiError } from '../lib/api';
import type { SubmitBody } from '../lib/drafts';
import { listDrafts } from '../lib/drafts';
import { compress, ImageError, isImageFile, readGps } from '../lib/image';
import { useI18n } from '../lib/i18n';
import { navigate, queryParam } from '../lib/router';
import { useSession } from '../lib/session';
import type { Category, GridRef } from '../lib/types';
import { useSubmitDraft } from '../lib/useSubmitDraft';
import {
  categoryName,
  ChoiceGroup,
  descendants,
  FieldError,
  FieldTitle,
  findCategory,
  focusFirst,
  PageBar,
  SignInCard,
  useCategories,
  useNativeAria,
} from '../components/FormParts';
import { QrScanner } from '../components/QrScanner';
import type { QrResult } from '../components/QrScanner';
import { SendingStatus, SubmitAlert, SubmitOutcome } from '../components/SubmitResult';
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
  try {
    const raw = sessionStorage.getItem(FORM_KEY);
    const s = raw ? (JSON.parse(raw) as SavedForm) : null;
    if (!s || s.v !== 1) return null;
    return { ...s, gridStatus: s.gridStatus === 'checking' ? 'unknown' : s.gridStatus };
  } catch {
    return null;
  }
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

/** The snap types residents choose from: the 随手拍 subtree, then other snap-channel groups (e.g. roads). */
function snapTypes(tree: Category[]): Category[] {
  const snap = tree.find((c) => c.code === 'snap');
  return [...(snap?.children ?? []), ...tree.filter((c) => c.code !== 'snap' && c.channel === 'snap')];
}

export default function Report() {
  const { t, locale } = useI18n();
  const { me } = useSession();
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
  const [errors, setErrors] = useState<{ type?: string; location?: string; description?: string }>({});
  // fields changed since the server's refusal: their old server messages no longer apply
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const [replaceId, setReplaceId] = useState<string | null>(null);
  const sub = useSubmitDraft(replaceId);

  const photosRef = useRef(photos);
  photosRef.current = photos;
  const seq = useRef(0);
  const typeRef = useRef<HTMLInputElement>(null);
  const locRef = useRef<HTMLButtonElement>(null);
  const descRef = useRef<TextAreaRef>(null);
  const signInRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = t('report.title');
  }, [t]);

  // free the photo previews when leaving
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  // ---- location ------------------------------------------------------------------------------
  const locateAt = async (p: LatLng, source: Source, accuracy?: number) => {
    const n = ++seq.current;
    setPlace({ lat: p.lat, lng: p.lng, source, accuracy });
    setGridToken(null);
    setGrid(null);
    setGridStatus('checking');
    setErrors((e) => ({ ...e, location: undefined }));
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
    setErrors((e) => ({ ...e, location: undefined }));
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
    const draftId = queryParam('draft');
    if (draftId) {
      void listDrafts().then((all) => {
        const d = all.find((x) => x.id === draftId && x.body.channel === 'snap');
        if (!d) return;
        setReplaceId(d.id);
        setCategory(d.body.categoryId);
        setDescription(d.body.description);
        setAddress(d.body.address ?? '');
        if (d.body.location) void locateAt(d.body.location, 'map');
        if (d.body.gridToken) void applyToken(d.body.gridToken);
        setPhotos(d.photos.map((p) => photoItem(p.blob, p.name, null)));
        Toast.show({ content: t('form.draftLoaded') });
      });
    }
  }, []);

  // keep what was typed for this browser tab (photos only when going to sign in: they are big)
  const finished =
    sub.phase.kind === 'done' || sub.phase.kind === 'queued' || sub.phase.kind === 'sent-elsewhere';
  useEffect(() => {
    if (finished) {
      clearSaved();
      return;
    }
    const empty = !category && !place && !gridToken && !address && !description;
    if (empty) {
      sessionStorage.removeItem(FORM_KEY);
      return;
    }
    const s: SavedForm = { v: 1, category, place, gridToken, grid, gridStatus, address, description, preset };
    try {
      sessionStorage.setItem(FORM_KEY, JSON.stringify(s));
    } catch {
      // storage full or disabled: the form still works
    }
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

  // ---- errors ----------------------------------------------------------------------------------
  const serverErr = sub.error;
  function markEdited(field: string) {
    setEdited((s) => (s.has(field) ? s : new Set(s).add(field)));
  }
  const serverMsg = (field: string, codes: string[] = [], alias?: string): string | undefined => {
    if (!serverErr || edited.has(field)) return undefined;
    return (
      serverErr.fieldMessage(field) ??
      (alias ? serverErr.fieldMessage(alias) : undefined) ??
      (codes.includes(serverErr.code) ? serverErr.message : undefined)
    );
  };
  const typeError = errors.type ?? serverMsg('categoryId', ['category.not_found', 'case.category_mismatch']);
  const locationError =
    errors.location ?? serverMsg('location', ['case.location_required', 'grid.not_found'], 'gridToken');
  const descError = errors.description ?? serverMsg('description');
  const addressError = serverMsg('address');
  const photosError =
    photoError ??
    serverMsg('photoIds', [
      'upload.not_an_image',
      'upload.unsupported_type',
      'upload.too_large',
      'upload.too_many_pixels',
      'upload.corrupt',
      'upload.too_many',
      'upload.not_found',
      'upload.in_use',
    ]);
  useNativeAria(() => descRef.current?.nativeElement, {
    'aria-invalid': descError ? 'true' : undefined,
    'aria-describedby': descError ? 'report-description-error' : 'report-description-hint',
    'aria-required': 'true',
  });

  // ---- submit ----------------------------------------------------------------------------------
  const submit = () => {
    if (sub.busy) return;
    const next: typeof errors = {};
    if (!category) next.type = t('report.typeRequired');
    if (!place && !gridToken) next.location = t('report.noLocation');
    if (description.trim().length < 2) next.description = t('report.descriptionShort');
    setErrors(next);
    if (me === null) {
      Toast.show({ content: t('form.signInFirst') });
      focusFirst(signInRef.current?.querySelector('button'));
      return;
    }
    if (next.type || next.location || next.description) {
      Toast.show({ content: t('form.fixErrors') });
      focusFirst(
        next.type ? typeRef.current : null,
        next.location ? locRef.current : null,
        next.description ? descRef.current?.nativeElement : null,
      );
      return;
    }
    if (processing > 0) {
      Toast.show({ content: t('report.photosWait') });
      return;
    }
    const chosen = tree && category ? findCategory(tree, category) : null;
    const body: SubmitBody = {
      channel: 'snap',
      categoryId: category!,
      description: description.trim(),
      ...(place ? { location: { lat: place.lat, lng: place.lng } } : {}),
      ...(gridToken ? { gridToken } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
    };
    setEdited(new Set());
    void sub.submit({
      body,
      photos: photos.map((p) => ({ blob: p.blob, name: p.name })),
      label: chosen ? categoryName(chosen, locale) : t('report.title'),
    });
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
    setErrors({});
    setEdited(new Set());
    setReplaceId(null);
    sub.reset();
    // a report from a grid's QR code: the next one is probably at the same place
    const fromLink = queryParam('grid');
    const url = fromLink ? `/report?grid=${encodeURIComponent(fromLink)}` : '/report';
    if (window.location.pathname + window.location.search !== url) navigate(url, { replace: true });
    setPreset(fromLink);
    if (fromLink) void applyToken(fromLink);
    window.scrollTo(0, 0);
  };

  // ---- the screens -----------------------------------------------------------------------------
  if (finished) {
    return (
      <>
        <PageBar title={t('report.title')} />
        <SubmitOutcome sub={sub} onAnother={another} anotherLabel={t('report.another')} />
      </>
    );
  }

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
    <>
      <PageBar title={t('report.title')} />
      {me === null && (
        <div ref={signInRef}>
          <SignInCard beforeLeave={savePhotosForSignIn} />
        </div>
      )}
      {serverErr && <SubmitAlert message={serverErr.message} />}
      <form
        noValidate
        aria-labelledby="report-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id="report-form-title" className="visually-hidden">
          {t('report.title')}
        </h2>

        <section className={typeError ? 'card card-invalid' : 'card'}>
          <FieldTitle id="report-type-title" required>
            {t('report.type')}
          </FieldTitle>
          {tree ? (
            <>
              <ChoiceGroup
                name="report-type"
                required
                labelledBy="report-type-title"
                describedBy={typeError ? 'report-type-error' : undefined}
                invalid={!!typeError}
                firstRef={typeRef}
                options={types.map((c) => ({ value: c.code, label: categoryName(c, locale) }))}
                value={top?.code ?? null}
                onChange={(code) => {
                  setCategory(code);
                  setErrors((e) => ({ ...e, type: undefined }));
                  markEdited('categoryId');
                }}
              />
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
            </>
          ) : cats.loading ? (
            <div className="muted" aria-busy="true">
              <DotLoading /> {t('app.loading')}
            </div>
          ) : (
            <div>
              <p className="field-error">{t('report.categoriesFailed')}</p>
              <Button onClick={cats.reload} style={{ minHeight: 44 }}>
                {t('app.retry')}
              </Button>
            </div>
          )}
          <FieldError id="report-type-error" message={typeError} />
        </section>

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
              <label className="file-button">
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  multiple
                  className="visually-hidden"
                  aria-describedby="report-photos-hint"
                  onChange={addFiles}
                />
                {t('report.takePhoto')}
              </label>
              <label className="file-button">
                <input
                  type="file"
                  accept="image/*"
                  multiple
                  className="visually-hidden"
                  aria-describedby="report-photos-hint"
                  onChange={addFiles}
                />
                {t('report.pickPhotos')}
              </label>
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

        <section className={descError ? 'card card-invalid' : 'card'}>
          <FieldTitle id="report-description-label" htmlFor="report-description" required>
            {t('report.description')}
          </FieldTitle>
          <p className="field-hint" id="report-description-hint">
            {t('report.descriptionHint')}
          </p>
          <div className="text-box">
            <TextArea
              ref={descRef}
              id="report-description"
              value={description}
              onChange={(v) => {
                setDescription(v);
                markEdited('description');
                if (v.trim().length >= 2) setErrors((e) => ({ ...e, description: undefined }));
              }}
              placeholder={t('report.descriptionPlaceholder')}
              maxLength={2000}
              showCount
              autoSize={{ minRows: 4, maxRows: 12 }}
            />
          </div>
          <FieldError id="report-description-error" message={descError} />
        </section>

        <div className="sticky-actions">
          {sub.phase.kind === 'sending' && <SendingStatus progress={sub.phase.progress} />}
          <Button
            type="submit"
            color="primary"
            size="large"
            block
            loading={sub.busy}
            loadingText={t('report.sending')}
          >
            {t('report.submit')}
          </Button>
        </div>
      </form>

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
  );
}
