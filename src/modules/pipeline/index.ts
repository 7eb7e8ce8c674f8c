/** The `pipeline` module: flows every switch gets (table misses). */
export { missFlows, PIPELINE_OWNER, pipelineModule } from './pipeline-module';
