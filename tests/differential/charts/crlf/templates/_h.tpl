{{- define "c.h" -}}
helper
{{- end -}}
