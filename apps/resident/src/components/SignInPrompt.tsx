// Shown on screens that need a signed-in resident: what signing in is for and a button to do it,
// which comes back here afterwards.
import { Button } from 'antd-mobile';
import { useI18n } from '../lib/i18n';
import { navigate } from '../lib/router';
import { LoadingSkeleton } from './PageStates';

export function SignInPrompt({ next }: { next: string }) {
  const { t } = useI18n();
  return (
    <section
      className="card"
      style={{ textAlign: 'center', padding: '28px 16px' }}
      aria-labelledby="signin-prompt"
    >
      <h2 id="signin-prompt" style={{ fontSize: '1.125rem' }}>
        {t('signin.required')}
      </h2>
      <p className="muted" style={{ fontSize: '0.9375rem', margin: '0 0 16px' }}>
        {t('signin.requiredHint')}
      </p>
      <Button
        color="primary"
        block
        size="large"
        onClick={() => navigate(`/signin?next=${encodeURIComponent(next)}`)}
      >
        {t('signin.go')}
      </Button>
    </section>
  );
}

/**
 * Where a screen shows the signed-in resident's things while there is none: a skeleton of `cards` ×
 * `lines` until the session is known (`me` undefined), then the prompt to sign in and come back to `next`.
 */
export function NotSignedIn({
  me,
  next,
  cards,
  lines,
}: {
  me: null | undefined;
  next: string;
  cards?: number;
  lines?: number;
}) {
  return me === undefined ? <LoadingSkeleton cards={cards} lines={lines} /> : <SignInPrompt next={next} />;
}
