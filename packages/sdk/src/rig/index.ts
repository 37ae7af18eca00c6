/** Avatar rig outputs from decoded descriptors (browser-safe): ARKit-52, head pose, gaze, VRM 1.0, Live Link, VMC/VRChat message lists. */
export {
  ARKIT_BLENDSHAPES,
  type ArkitBlendshape,
  type ArkitWeights,
  mirrorArkitName,
} from './arkit.js';
export {
  EYE_CLOSED_RATIO,
  type ArkitMappingContext,
  type MouthCouplings,
  arkitFromMeasures,
  knee,
} from './arkit-mapping.js';
export { FACE_MEASURE_NAMES, type FaceMeasures, measureFace, measureShape } from './face-measures.js';
export { FaceRigModel, defaultFaceRigModel } from './face-rig-model.js';
export {
  DEFAULT_FACE_RIG_OPTIONS,
  FaceRig,
  type FaceRigOptions,
  type RigFrame,
  mouthCouplings,
  resolveFaceRigOptions,
} from './face-rig.js';
export {
  type Gaze,
  type HeadPose,
  IDENTITY_QUATERNION,
  type Quaternion,
  cameraGaze,
  headPose,
  headPoseFromAngles,
  scaleRotation,
} from './head-pose.js';
export { RIG_VERTICES, RigLandmark } from './landmarks.js';
export { mirrorHeadPose, mirrorRigShape, rigMirrorMap } from './mirror.js';
export { REST_FACE } from './rest-face.js';
export {
  VRM_EXPRESSIONS,
  type VrmExpression,
  type VrmExpressionWeights,
  type VrmRig,
  vrmFromArkit,
} from './vrm.js';
export {
  LIVE_LINK_CSV_HEADER,
  LIVE_LINK_CURVES,
  LIVE_LINK_ROTATIONS,
  type LiveLinkRow,
  type LiveLinkTake,
  liveLinkCsvRow,
  liveLinkTimecode,
  parseLiveLinkCsv,
} from './livelink-csv.js';
export { type OscArg, type OscMessage, oscFloat, oscInt, oscString } from './osc-message.js';
export {
  DEFAULT_VMC_OPTIONS,
  type VmcBlendNames,
  type VmcOptions,
  resolveVmcOptions,
  vmcMessages,
} from './vmc.js';
export { VRCHAT_V2_PREFIX, vrchatMessages } from './vrchat.js';
export {
  ArkitInverter,
  type ArkitInverterOptions,
  DEFAULT_ARKIT_INVERTER_OPTIONS,
  INVERTIBLE_BLENDSHAPES,
} from './arkit-inverse.js';
