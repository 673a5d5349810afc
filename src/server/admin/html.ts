/** Markup that is already safe: the result of `html` or of `raw` on a constant. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[]

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return (value as readonly Interpolated[]).map(render).join('')
  return escapeHtmlText(String(value))
}

/** A tagged template that escapes every interpolated value, except nested `html` results (and arrays of them). */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0]!
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!
  })
  return new SafeHtml(out)
}

/** Trusted constant markup only (never data). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup)
}
