{{/* Labels; the second line is indented one space too far. */}}
{{- define "explain-me.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
 app.kubernetes.io/part-of: demo
{{- end }}
