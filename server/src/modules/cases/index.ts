export { casesMigrations } from './cases.migrations.js';
export { CasesRepo } from './cases.repo.js';
export type { CaseFacts, CaseListFilter, CaseRow } from './cases.repo.js';
export { CasesService } from './cases.service.js';
export type { SubmitInput } from './cases.service.js';
export { casesRoutes } from './cases.routes.js';
export { decide, availableActions, RULES } from './case.machine.js';
export type { CaseSnapshot } from './case.machine.js';
