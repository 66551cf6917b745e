/**
 * The Go-template subset: each case's expected output is what Go's text/template with Sprig (as Helm
 * runs it) prints, and each refusal is one Go or Helm refuses too, or a feature outside the subset.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate } from './parse.js';
import { TemplateSet } from './exec.js';
import { struct } from './values.js';

function render(src: string, data: unknown, defines = ''): string {
  const main = parseTemplate('t', src);
  const helpers = parseTemplate('_helpers.tpl', defines);
  return new TemplateSet([helpers, main]).render(main, data);
}

const errorOf = (src: string, data: unknown): string => {
  try {
    render(src, data);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return 'no error';
};

const V = { Values: { name: 'drover', replicas: 2, big: 1000000, on: true, off: false, empty: '', list: ['a', 'b'], map: { b: 2, a: 1 }, nested: { x: { y: 'deep' } } } };

describe('the Go-template subset', () => {
  it.each([
    { name: 'a field', src: '{{ .Values.name }}', out: 'drover' },
    { name: 'a float64 from values prints as Go prints it', src: '{{ .Values.replicas }} {{ .Values.big }}', out: '2 1e+06' },
    { name: 'int turns it into an int', src: '{{ .Values.big | int }} {{ .Values.big | int | quote }}', out: '1000000 "1000000"' },
    { name: 'a missing key prints nothing (Helm drops <no value>)', src: '[{{ .Values.nope }}]', out: '[]' },
    { name: 'trim markers eat whitespace and newlines', src: 'a  \n  {{- .Values.name -}}  \n  b', out: 'adroverb' },
    { name: 'a comment vanishes with its trim', src: 'a\n{{- /* gone */}}\nb', out: 'a\nb' },
    { name: 'if / else if / else', src: '{{ if .Values.off }}1{{ else if .Values.empty }}2{{ else if .Values.on }}3{{ else }}4{{ end }}', out: '3' },
    { name: 'empty list, map and string are false', src: '{{ if .Values.nope }}y{{ else }}n{{ end }}{{ if .Values.list }}y{{ end }}', out: 'ny' },
    { name: 'range over a list with index', src: '{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}', out: '0=a;1=b;' },
    { name: 'range over a map in key order', src: '{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}', out: 'a=1;b=2;' },
    { name: 'range else', src: '{{ range .Values.nope }}x{{ else }}none{{ end }}', out: 'none' },
    { name: 'range sets dot', src: '{{ range .Values.list }}{{ . }}{{ end }}', out: 'ab' },
    { name: 'with sets dot, else keeps it', src: '{{ with .Values.nested.x }}{{ .y }}{{ end }}{{ with .Values.empty }}x{{ else }}{{ .Values.name }}{{ end }}', out: 'deepdrover' },
    { name: '$ is the root inside with and range', src: '{{ range .Values.list }}{{ $.Values.name }}{{ end }}', out: 'droverdrover' },
    { name: 'variables and assignment', src: '{{ $a := "x" }}{{ if true }}{{ $a = "y" }}{{ end }}{{ $a }}', out: 'y' },
    { name: 'pipelines pass the value last', src: '{{ .Values.name | printf "%s-%s" "pre" }}', out: 'pre-drover' },
    { name: 'default replaces empty values, keeps set ones', src: '{{ .Values.nope | default "d" }} {{ .Values.name | default "d" }} {{ .Values.off | default true }}', out: 'd drover true' },
    { name: 'quote as Go %q', src: '{{ quote "a\\"b\\n" }} {{ .Values.on | quote }} {{ .Values.replicas | quote }}', out: '"a\\"b\\n" "true" "2"' },
    { name: 'toYaml sorts keys and does not indent lists', src: '{{ toYaml .Values.map }}|{{ toYaml (dict "l" .Values.list) }}', out: 'a: 1\nb: 2|l:\n- a\n- b' },
    { name: 'indent and nindent', src: 'k:{{ toYaml .Values.map | nindent 2 }}\n{{ "x\\ny" | indent 3 }}', out: 'k:\n  a: 1\n  b: 2\n   x\n   y' },
    { name: 'trunc and trimSuffix', src: '{{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ "a-b-" | trimSuffix "-" }}', out: 'abc ef a-b' },
    { name: 'printf %d of an int, %v of a float, %q', src: '{{ printf "%d %v %q %%" 3 .Values.replicas "x" }}', out: '3 2 "x" %' },
    { name: 'b64enc', src: '{{ b64enc "drover" }}', out: 'ZHJvdmVy' },
    { name: 'eq ne not', src: '{{ eq .Values.name "x" "drover" }} {{ ne .Values.name "drover" }} {{ not .Values.off }}', out: 'true false true' },
    { name: 'and/or return an operand and short-circuit', src: '{{ and .Values.nope .Values.nope.x }} {{ or .Values.empty "b" }} {{ and 1 "z" }}', out: ' b z' },
    { name: 'parenthesised pipelines and fields on them', src: '{{ (dict "a" (dict "b" "c")).a.b }}', out: 'c' },
    { name: 'include with a pipeline after it', src: '{{ include "greet" .Values.name | quote }}', out: '"hi drover"', defines: '{{- define "greet" -}}hi {{ . }}{{- end -}}' },
    { name: 'template renders a define inline', src: '<{{ template "greet" "you" }}>', out: '<hi you>', defines: '{{ define "greet" }}hi {{ . }}{{ end }}' },
    { name: 'raw strings', src: '{{ `a\\n"b"` }}', out: 'a\\n"b"' },
  ])('$name', ({ src, out, defines }) => {
    expect(render(src, V, defines)).toBe(out);
  });

  it('calls methods of structs (.Files.Get)', () => {
    const Files = struct('chart.Files', { Get: (p: unknown) => (p === 'files/a' ? 'content' : '') });
    expect(render('{{ .Files.Get "files/a" }}|{{ .Files.Get "missing" }}', { Files })).toBe('content|');
  });

  it.each([
    { name: 'a field of nil', src: '{{ .Values.nope.x }}', error: 't:1: nil pointer evaluating interface {}.x' },
    { name: 'a missing field of a struct', src: '{{ .Release.Nme }}', error: "can't evaluate field Nme in type chartutil.Release" },
    { name: 'required with an empty value', src: '{{ required "name is required" .Values.empty }}', error: 'name is required' },
    { name: 'an int compared with a float64, as Go refuses', src: '{{ eq .Values.replicas 2 }}', error: 'incompatible types for comparison' },
    { name: 'a float64 where an int is expected', src: '{{ trunc .Values.replicas "abc" }}', error: 'expected int; got float64' },
    { name: 'a function outside the subset', src: '{{ upper "x" }}', error: 'function "upper" not defined' },
    { name: 'printing a map', src: '{{ .Values.map }}', error: 'outside the subset; use toYaml' },
    { name: 'block is outside the subset', src: '{{ block "x" . }}{{ end }}', error: 'outside the subset' },
    { name: 'an unclosed if, with its line', src: 'a\nb\n{{ if true }}', error: 't:3: unclosed if' },
    { name: 'an undefined variable', src: '{{ $nope }}', error: 'undefined variable: $nope' },
    { name: 'an undefined template', src: '{{ include "nope" . }}', error: 'no template "nope"' },
    { name: 'a wrong number of arguments', src: '{{ indent 2 }}', error: 'wrong number of args for indent' },
  ])('refuses $name', ({ src, error }) => {
    expect(errorOf(src, { Values: V.Values, Release: struct('chartutil.Release', { Name: 'r' }) })).toContain(error);
  });
});
