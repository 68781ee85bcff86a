/**
 * @module
 * The kubernetes-models interfaces of every kind the chart and the rules
 * render, keyed by `apiVersion/kind`. known-keys.ts reads this interface with
 * the TypeScript compiler to learn each kind's field names: the models'
 * `.validate()` accepts unknown (misspelt) keys, their types do not.
 */
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject'
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import type { IService } from 'kubernetes-models/v1/Service'
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount'

/** Interface of each kind, by `apiVersion/kind`. */
export interface ManifestTypes {
  'v1/ConfigMap': IConfigMap
  'v1/Secret': ISecret
  'v1/Service': IService
  'v1/ServiceAccount': IServiceAccount
  'apps/v1/Deployment': IDeployment
  'autoscaling/v2/HorizontalPodAutoscaler': IHorizontalPodAutoscaler
  'networking.k8s.io/v1/Ingress': IIngress
  'networking.k8s.io/v1/NetworkPolicy': INetworkPolicy
  'policy/v1/PodDisruptionBudget': IPodDisruptionBudget
  'keda.sh/v1alpha1/ScaledObject': IScaledObject
  'monitoring.coreos.com/v1/ServiceMonitor': IServiceMonitor
  'monitoring.coreos.com/v1/PrometheusRule': IPrometheusRule
}
