// Spanish strings. Loaded lazily, only when the widget's language is Spanish.
import type { Catalogue } from './en.js';

export const es: Catalogue = {
  'status.connecting': 'Conectando de forma segura…',
  'status.loading': 'Cargando…',
};
