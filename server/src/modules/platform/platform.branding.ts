// Branding: the names, colour, hotline and home-page sections the resident app and the console
// show. The configuration file gives the defaults; an administrator's changes in the console are
// kept in the `setting` table (key `branding`) and win over them. Every instance keeps the current
// value in memory and reloads it when another instance announces a change on the bus.
import { z } from 'zod';
import { homeGroupSchema } from '../../config.js';
import type { StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import type { AuditService } from '../audit/index.js';

const name = (max: number) => z.string().trim().min(1).max(max);

export const brandingSchema = z.object({
  subdistrict: z.object({
    nameZh: name(20),
    nameEn: name(60),
    /** the place name without 街道, for phrases such as 走进福永 */
    shortZh: name(10),
    shortEn: name(30),
  }),
  appName: z.object({ zh: name(20), en: name(40) }),
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  hotline: z.string().trim().max(30).nullable(),
  home: z
    .array(homeGroupSchema)
    .min(1)
    .max(6)
    .refine((groups) => new Set(groups.map((g) => g.key)).size === groups.length, {
      message: 'home section keys must be unique',
    }),
});
export type Branding = z.infer<typeof brandingSchema>;

/** WCAG contrast ratio of white text on a #rrggbb colour (1 … 21). */
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

export const BRANDING_CHANGED = 'platform.branding_changed';
const KEY = 'branding';

export class BrandingService {
  private value: Branding;
  private custom = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly audit: AuditService,
  ) {
    this.value = this.defaults();
    ctx.bus.subscribe(BRANDING_CHANGED, () => {
      this.reload().catch((err) => ctx.log.error({ err }, 'branding reload failed'));
    });
  }

  /** What the configuration file (or the built-in defaults) says. */
  defaults(): Branding {
    const { subdistrict, app } = this.ctx.config;
    return {
      subdistrict: {
        nameZh: subdistrict.nameZh,
        nameEn: subdistrict.nameEn,
        shortZh: subdistrict.shortZh,
        shortEn: subdistrict.shortEn,
      },
      appName: { zh: app.nameZh, en: app.nameEn },
      brandColor: app.brandColor,
      hotline: app.hotline,
      home: app.home,
    };
  }

  current(): Branding {
    return this.value;
  }

  /** Whether an administrator's branding is in force (rather than the configuration's). */
  isCustom(): boolean {
    return this.custom;
  }

  async reload(): Promise<void> {
    const row = await this.ctx.kysely
      .selectFrom('setting')
      .select('value')
      .where('key', '=', KEY)
      .executeTakeFirst();
    if (!row) {
      this.value = this.defaults();
      this.custom = false;
      return;
    }
    const parsed = brandingSchema.safeParse(JSON.parse(row.value));
    if (!parsed.success) {
      // a value written by an older version that no longer validates: fall back, say so
      this.ctx.log.warn(
        { issues: parsed.error.issues },
        'stored branding is invalid; using the configuration',
      );
      this.value = this.defaults();
      this.custom = false;
      return;
    }
    this.value = parsed.data;
    this.custom = true;
  }

  async update(actor: StaffActor, b: Branding, ip?: string): Promise<Branding> {
    // buttons and the app's bar carry white text on this colour
    if (contrastWithWhite(b.brandColor) < 4.5) throw new AppError('branding.low_contrast');
    const now = this.ctx.clock.now().toISOString();
    const value = JSON.stringify(b);
    await this.ctx.tx.run(async (trx) => {
      await trx
        .insertInto('setting')
        .values({ key: KEY, value, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
        .execute();
      await this.audit.record(
        {
          actor,
          action: 'branding.updated',
          subjectKind: 'setting',
          subjectId: KEY,
          detail: { before: this.value, after: b },
          ip: ip ?? null,
        },
        trx,
      );
    });
    await this.changed();
    return this.value;
  }

  /** Back to the configuration's branding. */
  async reset(actor: StaffActor, ip?: string): Promise<Branding> {
    await this.ctx.tx.run(async (trx) => {
      await trx.deleteFrom('setting').where('key', '=', KEY).execute();
      await this.audit.record(
        { actor, action: 'branding.reset', subjectKind: 'setting', subjectId: KEY, ip: ip ?? null },
        trx,
      );
    });
    await this.changed();
    return this.value;
  }

  private async changed(): Promise<void> {
    await this.reload();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(BRANDING_CHANGED, {});
  }
}
