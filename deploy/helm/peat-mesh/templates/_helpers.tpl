{{/*
Names and labels shared by every template.
*/}}

{{/* Chart name, or nameOverride. */}}
{{- define "peat-mesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: fullnameOverride, else the release name when it already contains the chart name, else
"<release>-<chart>". Truncated to 63 characters (DNS label); pod names add "-<ordinal>".
*/}}
{{- define "peat-mesh.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "peat-mesh.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels. "app: peat-mesh" is the label Kubernetes discovery selects EndpointSlices by (the
EndpointSlice controller copies the Service's labels onto its slices); the instance label keeps two releases
in one namespace apart.
*/}}
{{- define "peat-mesh.selectorLabels" -}}
app: peat-mesh
app.kubernetes.io/name: {{ include "peat-mesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "peat-mesh.labels" -}}
helm.sh/chart: {{ include "peat-mesh.chart" . }}
{{ include "peat-mesh.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The label selector the nodes give the EndpointSlice API (PEAT_K8S_LABEL_SELECTOR). */}}
{{- define "peat-mesh.discoverySelector" -}}
app=peat-mesh,app.kubernetes.io/instance={{ .Release.Name }}
{{- end }}

{{- define "peat-mesh.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "peat-mesh.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the formation secret: existingSecret, or the one this chart creates. */}}
{{- define "peat-mesh.secretName" -}}
{{- default (include "peat-mesh.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* True when discoveryMode includes Kubernetes discovery (which needs the service-account token). */}}
{{- define "peat-mesh.kubernetesDiscovery" -}}
{{- $modes := splitList "," (.Values.discoveryMode | lower | nospace) }}
{{- if or (has "kubernetes" $modes) (has "k8s" $modes) }}true{{ end }}
{{- end }}
