import { z } from 'zod';

/** Row decoders: 64-bit integers arrive as JSON strings (output_format_json_quote_64bit_integers). */
export const Int = z.coerce.number();
export const NullableNum = z.union([z.null(), z.coerce.number()]);
export const iso = (ms: number): string => new Date(ms).toISOString();
