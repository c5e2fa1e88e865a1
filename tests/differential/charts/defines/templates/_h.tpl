{{- define "d.name" -}}
{{ .Values.name | trunc 63 | trimSuffix "-" }}
{{- end -}}
{{- define "d.labels" -}}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
name: {{ include "d.name" . }}
{{- end -}}
{{- define "d.outer" -}}
outer({{ template "d.inner" . }})
{{- end -}}
{{- define "d.inner" -}}inner:{{ . | toString }}{{- end -}}
{{- define "d.dict" -}}
{{ .a }}-{{ .b.Values.name }}
{{- end -}}
{{- define "d.rec" -}}
{{- if gt (int .) 0 -}}{{ . }},{{ include "d.rec" (sub . 1) }}{{- end -}}
{{- end -}}
{{- define "d.empty" -}}{{- end -}}
{{/* a define with spaces around */}}
{{ define "d.spaced" }}
  spaced {{ . }}
{{ end }}
