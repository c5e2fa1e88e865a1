{{- define "nil.outer" -}}
{{ include "nil.inner" . }}
{{- end -}}
{{- define "nil.inner" -}}
{{ .Values.deep.missing.key }}
{{- end -}}
