{{/* Partials in Latin-1: café, naïve. */}}
{{- define "latin1.text" -}}
café   {{- " " -}} 
	ÿ	 {{- /* þ */ -}} naïve
{{- end -}}
{{- define "latin1.literals" -}}
{{ "qéq" }}|{{ `rér` }}|{{ printf "%d" 'é' }}|{{ "\xe9" }}
{{- end -}}
{{- define "latin1.trim" -}}
é   {{- if true -}}   éé   {{- end -}}   é
{{- end -}}
