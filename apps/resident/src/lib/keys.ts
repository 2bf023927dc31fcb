// Keyboard help for antd-mobile controls that take none.
import type { KeyboardEvent } from 'react';

/**
 * antd-mobile's Switch is focusable (tabIndex) but ignores the keyboard: put this on its wrapper so
 * Space and Enter on the switch toggle it.
 */
export function onSwitchKey(toggle: () => void) {
  return (e: KeyboardEvent<HTMLElement>) => {
    if ((e.key === ' ' || e.key === 'Enter') && (e.target as HTMLElement).getAttribute('role') === 'switch') {
      e.preventDefault();
      toggle();
    }
  };
}
