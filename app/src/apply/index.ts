export { applyOverlay, type ApplyOptions, type ApplyResult, type FileChange } from './apply.js';
export {
  renderOverlay,
  templateData,
  OVERLAY_DIR,
  type RenderedFile,
  type RenderOptions,
  type TemplateData,
} from './render.js';
export {
  SERVICE_TABLE,
  planReload,
  ruleFor,
  isEmptyPlan,
  type ReloadPlan,
  type ServiceRule,
} from './services.js';
export { createSystemctlReload, type SystemctlOptions } from './reload.js';
