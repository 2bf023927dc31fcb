// A case's photos as a grid of thumbnails (small downloads on a weak network); tapping one opens the
// full-size photos in ImageViewer. Each thumbnail is a button: "查看照片 2/3".
import { ImageViewer } from 'antd-mobile';
import { useI18n } from '../lib/i18n';

export function CasePhotos({
  photos,
  size = 88,
}: {
  photos: { url: string; thumbUrl: string }[];
  size?: number;
}) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  return (
    <ul
      style={{ listStyle: 'none', margin: '8px 0 0', padding: 0, display: 'flex', flexWrap: 'wrap', gap: 6 }}
    >
      {photos.map((p, i) => (
        <li key={p.url}>
          <button
            type="button"
            aria-label={t('case.viewPhoto', { n: i + 1, total: photos.length })}
            onClick={() => ImageViewer.Multi.show({ images: photos.map((x) => x.url), defaultIndex: i })}
            style={{ display: 'block', padding: 0, border: 0, background: 'none', cursor: 'zoom-in' }}
          >
            <img
              src={p.thumbUrl}
              alt=""
              loading="lazy"
              width={size}
              height={size}
              style={{
                display: 'block',
                width: size,
                height: size,
                objectFit: 'cover',
                borderRadius: 6,
                background: '#eee',
              }}
            />
          </button>
        </li>
      ))}
    </ul>
  );
}
