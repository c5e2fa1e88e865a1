{{- define "boom.check" -}}
{{- if not .Values.password -}}
{{- fail "a password is required:\n  set --set password=..." -}}
{{- end -}}
{{- end -}}
