{{- define "shared.name" -}}child-{{ .Chart.Name }}{{- end -}}
