{{/* Names and labels, as every chart has them. */}}
{{- define "sgc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sgc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sgc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sgc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sgc.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "sgc.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "sgc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sgc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sgc.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.registry -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The NATS TLS Secret's name. */}}
{{- define "sgc.natsSecret" -}}
{{- default (printf "%s-nats-tls" (include "sgc.fullname" .)) .Values.nats.tls.existingSecret -}}
{{- end -}}

{{/* sgc.yaml: the sgc: block, completed from the other values (what the
     sgc: block sets itself wins). */}}
{{- define "sgc.config" -}}
{{- $cfg := deepCopy .Values.sgc -}}
{{- if .Values.nats.enabled -}}
{{- $nats := dict "enabled" true "servers" .Values.nats.servers "subject" .Values.nats.subject -}}
{{- if .Values.nats.tls.enabled -}}
{{- $tls := dict "ca_cert" "/etc/sgc/nats-tls/ca.crt" -}}
{{- if or .Values.nats.tls.cert .Values.nats.tls.existingSecret -}}
{{- $_ := set $tls "client_cert" "/etc/sgc/nats-tls/tls.crt" -}}
{{- $_ := set $tls "client_key" "/etc/sgc/nats-tls/tls.key" -}}
{{- end -}}
{{- $_ := set $nats "tls" $tls -}}
{{- end -}}
{{- $_ := set $cfg "nats_output" (mergeOverwrite $nats (default (dict) $cfg.nats_output)) -}}
{{- end -}}
{{- if .Values.k8saudit.enabled -}}
{{- $ka := dict "enabled" true "listen_address" "0.0.0.0" "listen_port" .Values.k8saudit.service.port -}}
{{- $_ := set $cfg "k8s_audit" (mergeOverwrite $ka (default (dict) $cfg.k8s_audit)) -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}
