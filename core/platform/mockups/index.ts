/** @module Mock-up rows shared by core and the GPU worker; the contract is `edge/contracts/mockups.ts`. */
export {
  createMockupRecords,
  type MockupRecords,
  type NewMockup,
  type UnfinishedMockup,
} from './record.ts'
