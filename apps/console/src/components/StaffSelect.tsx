// Picking a staff account by typing part of the name: the server searches (GET /api/staff?q=…), so
// a subdistrict with hundreds of grid workers is not cut off at one page. The chosen account's name
// is shown from `label` (the caller looks the page's names up once, by ids).
import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';
import type { StaffRole } from '@jiedao/contracts';
import { api } from '@jiedao/web/api';

interface Option {
  value: string;
  label: string;
}

export function StaffSelect({
  role,
  value,
  label,
  onChange,
  ariaLabel,
  placeholder,
  width = 200,
}: {
  role: StaffRole;
  value: string | null;
  /** the display name of `value`, when known */
  label?: string | undefined;
  onChange: (id: string | null) => void;
  ariaLabel: string;
  placeholder?: string;
  width?: number;
}) {
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);

  const search = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const mine = ++seq.current;
      setLoading(true);
      const params = new URLSearchParams({ role, pageSize: '20' });
      if (q.trim()) params.set('q', q.trim());
      api<{ items: { id: string; displayName: string; username: string }[] }>('GET', `/api/staff?${params}`)
        .then((r) => {
          if (mine === seq.current)
            setOptions(r.items.map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` })));
        })
        .catch(() => {})
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    }, 250);
  };
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const shown =
    value && !options.some((o) => o.value === value)
      ? [{ value, label: label ?? value }, ...options]
      : options;
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      style={{ width }}
      aria-label={ariaLabel}
      placeholder={placeholder}
      value={value ?? undefined}
      loading={loading}
      options={shown}
      onSearch={search}
      onFocus={() => search('')}
      onChange={(v: string | undefined) => onChange(v ?? null)}
    />
  );
}
