{{- /*
Names, labels, the image and the security contexts. Every template stays within the subset of Go
templates and Sprig that test/helm renders (helm/README.md lists it).
*/ -}}

{{- define "drover.fullname" -}}
{{- default .Chart.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "drover.scheduler.name" -}}
{{- printf "%s-scheduler" (include "drover.fullname" .) -}}
{{- end -}}

{{- define "drover.webhook.name" -}}
{{- printf "%s-webhook" (include "drover.fullname" .) -}}
{{- end -}}

{{- define "drover.webhook.mutating" -}}
{{- printf "%s-admission-mutating" (include "drover.fullname" .) -}}
{{- end -}}

{{- define "drover.webhook.validating" -}}
{{- printf "%s-admission-validating" (include "drover.fullname" .) -}}
{{- end -}}

{{- define "drover.webhook.certsSecret" -}}
{{- printf "%s-admission-certs" (include "drover.fullname" .) -}}
{{- end -}}

{{- define "drover.webhook.tlsSecret" -}}
{{- printf "%s-webhook-tls" (include "drover.fullname" .) -}}
{{- end -}}

{{- /* Labels of every object. Takes (dict "top" $ "component" NAME). */ -}}
{{- define "drover.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .top.Chart.Name .top.Chart.Version | trunc 63 | trimSuffix "-" }}
{{ include "drover.selectorLabels" . }}
app.kubernetes.io/version: {{ .top.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .top.Release.Service }}
app.kubernetes.io/part-of: drover
{{- end -}}

{{- define "drover.selectorLabels" -}}
app.kubernetes.io/name: {{ .top.Chart.Name }}
app.kubernetes.io/instance: {{ .top.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- /* Pod labels: `app: drover` makes the webhook leave drover's own pods alone, as YuniKorn's `app: yunikorn`. */ -}}
{{- define "drover.podLabels" -}}
{{ include "drover.selectorLabels" . }}
app: drover
{{- with .extra }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "drover.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "drover.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser | int }}
runAsGroup: {{ .Values.securityContext.runAsGroup | int }}
# Mounted Secrets are group-readable by this group only.
fsGroup: {{ .Values.securityContext.runAsGroup | int }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "drover.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser | int }}
runAsGroup: {{ .Values.securityContext.runAsGroup | int }}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- /* Replicas on different nodes. Takes (dict "top" $ "component" NAME "spread" VALUES). */ -}}
{{- define "drover.topologySpread" -}}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: {{ .spread.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "drover.selectorLabels" . | nindent 6 }}
{{- end -}}

{{- /* The downward API: the pod's name and namespace. */ -}}
{{- define "drover.podEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end -}}
